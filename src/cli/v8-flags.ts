/**
 * V8 settings the CLI runs with.
 *
 * - Young generation: V8 on Node 24 lets it grow to 64 MB semi-spaces (a 128 MB new space); on
 *   Node 20 and 22 it stops at 16 MB. Measured on a 1M-row Bulk load into SQLite
 *   (bench/sync.bench.ts), Node 24's default took the sync's peak RSS from ~285 to ~375 MB for no
 *   speed: on Node 24 and later the CLI asks for 16 MB.
 * - Old generation: a load allocates a few MB of buffers per results page (the page, the COPY
 *   tuples) on a heap of ~20 MB, and V8 ran a full collection every page or so — 58 on 1M
 *   Accounts into PostgreSQL, ~1 s of CPU. An initial old-space limit of 128 MB makes it 16:
 *   client CPU 5.0 → 3.5 s at the same peak RSS (~210 MB; SQLite ~255 MB).
 *
 * Only startup flags size the heap, so the CLI replaces its own process with one started with the
 * flags (`process.execve`: same pid, stdio and signals, nothing left running) — unless the user
 * chose a size on the command line or in NODE_OPTIONS, or the platform has no execve (Node before
 * 22.15, Windows), where it runs as started.
 */

/** Semi-space size the CLI starts V8 with on Node 24 and later (Node 20 and 22's default). */
export const SEMI_SPACE_MB = 16;
/** Initial old-space limit the CLI starts V8 with. */
export const OLD_SPACE_INITIAL_MB = 128;

const CHOSEN_SEMI = /^--(max-semi-space-size|max_semi_space_size|semi-space-growth-factor|semi_space_growth_factor)\b/;
const CHOSEN_OLD = /^--(initial|max)[-_](old[-_]space|heap)[-_]size\b/;

export interface StartedAs {
  /** Node's major version. */
  major: number;
  /** The process's node flags (`process.execArgv`). */
  execArgv: readonly string[];
  /** NODE_OPTIONS, if set. */
  nodeOptions?: string | undefined;
  /** Whether the process can restart itself in place (`process.execve`). */
  canRestart: boolean;
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;
const execveOf = () => (process as { execve?: Execve }).execve;

/** How this process was started. */
export function startedAs(): StartedAs {
  return {
    major: Number(process.versions.node.split('.')[0]),
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS,
    canRestart: typeof execveOf() === 'function',
  };
}

/**
 * The V8 flags a process started `as` lacks: none where it cannot restart with them, none the user
 * chose a size for.
 */
export function missingV8Flags(as: StartedAs): string[] {
  if (!as.canRestart) return [];
  const given = [...as.execArgv, ...(as.nodeOptions ?? '').split(/\s+/)];
  const add: string[] = [];
  if (as.major >= 24 && !given.some((a) => CHOSEN_SEMI.test(a))) add.push(`--max-semi-space-size=${SEMI_SPACE_MB}`);
  if (!given.some((a) => CHOSEN_OLD.test(a))) add.push(`--initial-old-space-size=${OLD_SPACE_INITIAL_MB}`);
  return add;
}

/**
 * Restarts this process in place with the flags it lacks (first thing the CLI does, before any
 * output or open handle); returns when nothing is missing or the platform cannot.
 */
export function restartWithV8Flags(as: StartedAs = startedAs()): void {
  const add = missingV8Flags(as);
  const execve = execveOf();
  if (!add.length || typeof execve !== 'function' || !process.argv[1]) return;
  execve.call(process, process.execPath, [process.execPath, ...add, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
