import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../clock.js';
import { SfHttpError } from '../http/respond.js';
import { QueryJobStore, type NewQueryJob } from './job.js';

let n = 0;
function spec(size = 3): NewQueryJob {
  n++;
  return {
    id: `750Dn000000000${String(n).padStart(1, '0')}AAA`,
    operation: 'query',
    object: 'Account',
    createdById: '005Dn0000000001AAA',
    createdDate: 0,
    apiVersion: '60.0',
    columnDelimiter: 'COMMA',
    lineEnding: 'LF',
    query: 'SELECT Id FROM Account',
    header: ['Id'],
    row: (i) => [`r${i}`],
    size,
    isPkChunkingSupported: true,
  };
}

async function until(pred: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

describe('QueryJobStore', () => {
  it('QueryJobStore.add moves UploadComplete → InProgress → JobComplete on timers', async () => {
    const store = new QueryJobStore(new Clock(), () => 80);
    const job = store.add(spec(3));
    assert.equal(job.state, 'UploadComplete');
    const seen = new Set<string>([job.state]);
    await until(() => {
      seen.add(job.state);
      return job.state === 'JobComplete';
    });
    assert.ok(seen.has('InProgress'), 'InProgress observed while polling');
    assert.equal(job.numberRecordsProcessed, 3);
    assert.ok(job.totalProcessingTime >= 0);
  });

  it('QueryJobStore.failNext fails the next jobs with their message, then stops', async () => {
    const store = new QueryJobStore(new Clock(), () => 0);
    store.failNext(1, 'boom');
    store.failNext(1);
    const a = store.add(spec());
    const b = store.add(spec());
    const c = store.add(spec());
    await until(() => [a, b, c].every((j) => j.state !== 'UploadComplete' && j.state !== 'InProgress'));
    assert.deepEqual([a.state, a.errorMessage], ['Failed', 'boom']);
    assert.deepEqual([b.state, b.errorMessage], ['Failed', undefined]);
    assert.equal(c.state, 'JobComplete');
  });

  it('QueryJobStore.abort stops a queued job and refuses a completed one', async () => {
    const store = new QueryJobStore(new Clock(), () => 60);
    const queued = store.add(spec());
    store.abort(queued);
    assert.equal(queued.state, 'Aborted');
    await sleep(100);
    assert.equal(queued.state, 'Aborted', 'timers no longer move it');
    assert.throws(
      () => store.abort(queued),
      (e: unknown) => e instanceof SfHttpError && e.errors[0]!.errorCode === 'INVALIDJOBSTATE' && /Aborted Job/.test(e.errors[0]!.message),
    );
  });

  it('QueryJobStore.delete forgets the job but refuses one in progress', async () => {
    const store = new QueryJobStore(new Clock(), () => 400);
    const job = store.add(spec());
    await until(() => job.state === 'InProgress');
    assert.throws(() => store.delete(job), SfHttpError);
    store.abort(job);
    store.delete(job);
    assert.equal(store.get(job.id), undefined);
    assert.equal(store.all().length, 0);
  });
});
