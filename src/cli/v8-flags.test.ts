import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { missingV8Flags, OLD_SPACE_INITIAL_MB, SEMI_SPACE_MB } from './v8-flags.js';

describe('missingV8Flags', () => {
  const SEMI = `--max-semi-space-size=${SEMI_SPACE_MB}`;
  const OLD = `--initial-old-space-size=${OLD_SPACE_INITIAL_MB}`;
  const as = (major: number, execArgv: string[] = [], nodeOptions?: string) => ({ major, execArgv, nodeOptions, canRestart: true });

  it('adds the semi-space size on Node 24 and later, the initial old-space size on every line', () => {
    assert.deepEqual(missingV8Flags(as(24)), [SEMI, OLD]);
    assert.deepEqual(missingV8Flags(as(26, ['--enable-source-maps'])), [SEMI, OLD]);
    assert.deepEqual(missingV8Flags(as(22)), [OLD]);
    assert.deepEqual(missingV8Flags(as(20)), [OLD]);
  });

  it('adds nothing where the process cannot restart itself (no process.execve: Node 20, Windows)', () => {
    assert.deepEqual(missingV8Flags({ ...as(24), canRestart: false }), []);
  });

  it('keeps a size the user chose on the command line or in NODE_OPTIONS', () => {
    assert.deepEqual(missingV8Flags(as(24, ['--max-semi-space-size=64'])), [OLD]);
    assert.deepEqual(missingV8Flags(as(24, ['--max_semi_space_size=32'])), [OLD]);
    assert.deepEqual(missingV8Flags(as(24, [], '--max-old-space-size=512 --max-semi-space-size=8')), []);
    assert.deepEqual(missingV8Flags(as(24, [], '--max-old-space-size=512')), [SEMI]);
    assert.deepEqual(missingV8Flags(as(22, ['--initial_old_space_size=32'])), []);
    assert.deepEqual(missingV8Flags(as(22, ['--max-heap-size=400'])), []);
  });
});

describe('restartWithV8Flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-v8flags-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts the process in place (same pid, arguments and environment) with the flag, once', () => {
    const script = join(dir, 'probe.mjs');
    const mod = pathToFileURL(join(import.meta.dirname, 'v8-flags.ts')).href;
    writeFileSync(
      script,
      [
        `const { restartWithV8Flags, startedAs } = await import(${JSON.stringify(mod)});`,
        `process.env.PROBE_RUNS = String(Number(process.env.PROBE_RUNS ?? 0) + 1);`,
        // As if on Node 24, whatever runs the test.
        `restartWithV8Flags({ ...startedAs(), major: 24 });`,
        `console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, args: process.argv.slice(2), runs: process.env.PROBE_RUNS }));`,
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, 'sync', 'a b'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as { pid: number; execArgv: string[]; args: string[]; runs: string };
    assert.deepEqual(out.args, ['sync', 'a b']);
    assert.equal(out.pid, r.pid, 'the same process, not a child');
    if (typeof (process as { execve?: unknown }).execve === 'function') {
      assert.deepEqual(out.execArgv, [`--max-semi-space-size=${SEMI_SPACE_MB}`, `--initial-old-space-size=${OLD_SPACE_INITIAL_MB}`, '--import', 'tsx']);
      assert.equal(out.runs, '2', 'restarted once, with the environment it had');
    } else {
      // Node 20 (no process.execve): runs as started.
      assert.deepEqual(out.execArgv, ['--import', 'tsx']);
      assert.equal(out.runs, '1');
    }
  });
});
