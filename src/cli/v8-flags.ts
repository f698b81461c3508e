/**
 * V8 settings the CLI runs with. V8 on Node 24 lets the young generation grow to 64 MB
 * semi-spaces (a 128 MB new space); on Node 20 and 22 it stops at 16 MB. Measured on a
 * 1M-row Bulk load into SQLite (bench/sync.bench.ts), Node 24's default took the sync's peak RSS
 * from ~285 to ~375 MB for no speed. Only startup flags size the young generation, so on Node 24
 * and later the CLI replaces its own process with one started with the flag (`process.execve`:
 * same pid, stdio and signals, nothing left running) — unless the user chose a size on the
 * command line or in NODE_OPTIONS, or the platform has no execve (Windows), where it runs as
 * started.
 */

/** Semi-space size the CLI starts V8 with (Node 20 and 22's default). */
export const SEMI_SPACE_MB = 16;

const CHOSEN = /^--(max-semi-space-size|max_semi_space_size|semi-space-growth-factor|semi_space_growth_factor)\b/;

export interface StartedAs {
  /** Node's major version. */
  major: number;
  /** The process's node flags (`process.execArgv`). */
  execArgv: readonly string[];
  /** NODE_OPTIONS, if set. */
  nodeOptions?: string | undefined;
}

/** How this process was started. */
export function startedAs(): StartedAs {
  return { major: Number(process.versions.node.split('.')[0]), execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS };
}

/** The V8 flags a process started `as` lacks: none on Node 20/22 or when the user chose a size. */
export function missingV8Flags(as: StartedAs): string[] {
  if (as.major < 24) return [];
  const given = [...as.execArgv, ...(as.nodeOptions ?? '').split(/\s+/)];
  if (given.some((a) => CHOSEN.test(a))) return [];
  return [`--max-semi-space-size=${SEMI_SPACE_MB}`];
}

/**
 * Restarts this process in place with the flags it lacks (first thing the CLI does, before any
 * output or open handle); returns when nothing is missing or the platform cannot.
 */
export function restartWithV8Flags(as: StartedAs = startedAs()): void {
  const add = missingV8Flags(as);
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (!add.length || typeof execve !== 'function' || !process.argv[1]) return;
  execve.call(process, process.execPath, [process.execPath, ...add, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
