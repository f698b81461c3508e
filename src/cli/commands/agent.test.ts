/**
 * `forcebridge agent` and `forcebridge query`: in process against a temporary SQLite hub and an
 * in-process emulator, plus one run of the real CLI so the commands are known to be registered.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliHub } from '../test-support/cli-hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { startTestEmulator } from '../../emulator/test-support/harness.js';
import { ForcebridgeError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { agentCommand, queryCommand } from './agent.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

let em: RunningEmulator;
let dataDir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 30 } } });
  ({ dataDir, env } = await cliHub(em, 'fb-agent-cli-', ['cli-org']));
});
after(async () => {
  await em.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function testIo(): CliIo & { json(): any } {
  let out = '';
  return { out: (t) => void (out += t), err: () => undefined, stdin: process.stdin, tty: false, env, json: () => JSON.parse(out) };
}

describe('forcebridge agent / query', () => {
  it('agent <connection> describe_object --input: prints the tool output as JSON', async () => {
    const io = testIo();
    await agentCommand(io).parseAsync(['cli-org', 'describe_object', '--input', '{"object":"Contact"}'], { from: 'user' });
    const d = io.json();
    assert.equal(d.name, 'Contact');
    assert.ok(d.fields.some((f: { name: string }) => f.name === 'LastName'));
  });

  it('agent: bad JSON names --input; unknown tools and refused SOQL are clear errors', async () => {
    await assert.rejects(
      agentCommand(testIo()).parseAsync(['cli-org', 'list_objects', '--input', '{nope'], { from: 'user' }),
      (e: unknown) => e instanceof ForcebridgeError && e.field === '--input',
    );
    await assert.rejects(
      agentCommand(testIo()).parseAsync(['cli-org', 'nope'], { from: 'user' }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'agent.unknown_tool',
    );
    await assert.rejects(
      queryCommand(testIo()).parseAsync(['cli-org', 'SELECT Id FROM Account FOR VIEW'], { from: 'user' }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'agent.soql_refused',
    );
  });

  it('query <connection> "<soql>" --limit, then --cursor continues; --all reads queryAll', async () => {
    const first = testIo();
    await queryCommand(first).parseAsync(['cli-org', 'SELECT Id FROM Account ORDER BY Id', '--limit', '2'], { from: 'user' });
    const a = first.json();
    assert.equal(a.records.length, 2);
    assert.ok(a.totalSize > 2);
    assert.ok(a.cursor);
    const next = testIo();
    await queryCommand(next).parseAsync(['cli-org', '--cursor', a.cursor, '--limit', '2000'], { from: 'user' });
    const b = next.json();
    assert.equal(b.done, true);
    const ids = [...a.records, ...b.records].map((r: { Id: string }) => r.Id);
    assert.equal(new Set(ids).size, a.totalSize);
    const all = testIo();
    await queryCommand(all).parseAsync(['cli-org', 'SELECT Id, IsDeleted FROM Account LIMIT 3', '--all'], { from: 'user' });
    assert.ok(all.json().records.every((r: { IsDeleted: unknown }) => typeof r.IsDeleted === 'boolean'));
  });

  it('the real CLI knows both commands', async () => {
    const out = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', MAIN, 'query', 'cli-org', 'SELECT COUNT() FROM Account'], { env });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(out.status, 0, out.stderr);
    assert.ok((JSON.parse(out.stdout) as { totalSize: number }).totalSize > 0);
  });
});
