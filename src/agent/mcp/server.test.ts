import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ForcebridgeError } from '../../errors.js';
import { openTestHub } from '../../connections/test-support/hub.js';
import { createLogger } from '../../log.js';
import { createApp } from '../../server/app.js';
import { backends } from '../../store/test-support/stores.js';
import { toolSet } from '../invoke.js';
import { defineTool, PREPARES, READ_ONLY } from '../tool.js';
import { errorBody } from './results.js';
import { createMcpServer } from './server.js';
import { probeTools } from './test-support/probe-tools.js';

const call = async () => ({});

describe('createMcpServer', () => {
  it('refuses a tool whose annotations claim destructiveHint: true, naming it', () => {
    const executes = defineTool({
      name: 'execute_update',
      title: 'Execute an update',
      description: 'would write to Salesforce',
      input: z.object({ id: z.string() }),
      output: z.object({ ok: z.boolean() }),
      annotations: { ...PREPARES, destructiveHint: true },
      run: async () => ({ ok: true }),
    });
    assert.throws(
      () => createMcpServer({ tools: [...probeTools, executes], call }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'mcp.destructive_tool' && e.message.includes('"execute_update"'),
    );
  });

  it('the HTTP app refuses such a tool at creation, not per request', async () => {
    const executes = { ...probeTools[0]!, name: 'execute_delete', annotations: { ...READ_ONLY, readOnlyHint: false, destructiveHint: true } };
    const t = await openTestHub(backends[0]!);
    try {
      assert.throws(
        () => createApp({ hub: t.hub, logger: createLogger(), baseUrl: 'http://127.0.0.1:8787', agentTools: toolSet([executes]) }),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'mcp.destructive_tool',
      );
    } finally {
      await t.cleanup();
    }
  });

  it('refuses two tools with one name', () => {
    assert.throws(
      () => createMcpServer({ tools: [probeTools[0]!, { ...probeTools[0]!, title: 'again' }], call }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'mcp.duplicate_tool',
    );
  });

  it('builds a server over read-only and prepare tools', () => {
    const tools = [
      defineTool({ name: 'r', title: 'R', description: 'reads', input: z.object({}), output: z.object({}), annotations: READ_ONLY, run: async () => ({}) }),
      defineTool({ name: 'p', title: 'P', description: 'prepares', input: z.object({}), output: z.object({}), annotations: PREPARES, run: async () => ({}) }),
    ];
    assert.ok(createMcpServer({ tools, call }).server);
  });
});

describe('errorBody', () => {
  it('keeps code, message, hint, field and Salesforce errorCode of a ForcebridgeError, and drops details and cause', () => {
    const e = new ForcebridgeError('x.bad', 'remote_error', 'Salesforce said no', {
      hint: 'fix it',
      field: 'object',
      salesforce: { errorCode: 'INVALID_TYPE', message: 'sObject type not supported' },
      details: { internalId: 42 },
      cause: new Error('inner'),
    });
    assert.deepEqual(errorBody(e), {
      error: { code: 'x.bad', message: 'Salesforce said no', hint: 'fix it', field: 'object', salesforceErrorCode: 'INVALID_TYPE' },
    });
  });

  it('redacts tokens in messages and hints', () => {
    const token = '00D5g000004ABCD!AQEAQHkqWJJvVwQ5p3mH.vLx2k1wY7nKqRz8Tt0cDdEeFf';
    const body = JSON.stringify(errorBody(new ForcebridgeError('x', 'remote_error', `bad ${token}`, { hint: `Bearer ${token}` })));
    assert.ok(!body.includes(token), body);
  });

  it('answers an unexpected error with a bare internal error, never its message', () => {
    const body = errorBody(new Error('password=hunter2 at /srv/secret.ts:10'));
    assert.deepEqual(body, { error: { code: 'internal', message: 'an unexpected error occurred', hint: 'see the forcebridge log for details' } });
  });
});
