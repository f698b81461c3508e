/**
 * Bulk 2.0 query jobs and their state machine:
 * `UploadComplete` (queued) → `InProgress` → `JobComplete` | `Failed`, or `Aborted` by the client.
 * Processing is asynchronous on timers so clients really poll; the query itself has already run
 * when the job was created and its rows stay with the job until it is deleted.
 */
import type { Clock } from '../clock.js';
import type { Principal } from '../perms/access.js';
import { invalidJobState } from './errors.js';
import type { ColumnDelimiter, LineEnding, QueryOperation } from './job-request.js';

export type QueryJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface QueryJob {
  readonly id: string;
  readonly operation: QueryOperation;
  /** Root object API name. */
  readonly object: string;
  readonly createdById: string;
  /** Epoch ms. */
  readonly createdDate: number;
  systemModstamp: number;
  state: QueryJobState;
  /** API version the job was created with, e.g. "60.0"; results must be read with the same. */
  readonly apiVersion: string;
  readonly columnDelimiter: ColumnDelimiter;
  readonly lineEnding: LineEnding;
  readonly query: string;
  /** CSV header in output order. */
  readonly header: readonly string[];
  /** Cells of result row `i` in header order. */
  readonly row: (i: number) => readonly (string | null)[];
  /** Number of result rows. */
  readonly size: number;
  readonly isPkChunkingSupported: boolean;
  numberRecordsProcessed: number;
  /** Milliseconds spent InProgress. */
  totalProcessingTime: number;
  /** Set on a Failed job when the failure has a message (Salesforce's `errorMessage`). */
  errorMessage?: string;
}

/** What a job will fail with when the test control API asked for failures. */
export interface ForcedFailure {
  message?: string;
}

/** A job about to be created: everything but the fields the store manages. */
export type NewQueryJob = Omit<QueryJob, 'state' | 'systemModstamp' | 'numberRecordsProcessed' | 'totalProcessingTime' | 'errorMessage'>;

/** Words Salesforce uses for final states in "Aborting already … Job not allowed" (UNCONFIRMED). */
const FINAL_STATE_WORD: Partial<Record<QueryJobState, string>> = { JobComplete: 'Completed', Failed: 'Failed', Aborted: 'Aborted' };

interface Processing {
  timers: NodeJS.Timeout[];
  startedAt?: number;
  failure?: ForcedFailure;
}

/** The query jobs of one org. */
export class QueryJobStore {
  private readonly jobs = new Map<string, QueryJob>();
  private readonly processing = new Map<string, Processing>();
  private readonly failures: ForcedFailure[] = [];

  /**
   * @param clock the org clock (timestamps in whole seconds, as Salesforce stores them)
   * @param delayMs time from creation to completion; read per job so tests can change it
   */
  constructor(
    private readonly clock: Clock,
    private readonly delayMs: () => number,
  ) {}

  /** Stores a new job in `UploadComplete` and schedules its processing. */
  add(spec: NewQueryJob): QueryJob {
    const now = this.clock.now();
    const job: QueryJob = { ...spec, state: 'UploadComplete', systemModstamp: now, numberRecordsProcessed: 0, totalProcessingTime: 0 };
    this.jobs.set(job.id, job);
    const failure = this.failures.shift();
    const p: Processing = { timers: [], ...(failure ? { failure } : {}) };
    this.processing.set(job.id, p);
    const delay = this.delayMs();
    p.timers.push(later(Math.floor(delay / 2), () => this.start(job, p)));
    p.timers.push(later(delay, () => this.finish(job, p)));
    return job;
  }

  get(id: string): QueryJob | undefined {
    return this.jobs.get(id);
  }

  /** Jobs in creation order. */
  all(): QueryJob[] {
    return [...this.jobs.values()];
  }

  /** Makes the next `count` created jobs end `Failed` (with `message` as their errorMessage). */
  failNext(count: number, message?: string): number {
    for (let i = 0; i < count; i++) this.failures.push(message === undefined ? {} : { message });
    return this.failures.length;
  }

  /** Forgets failures asked for but not yet taken by a job. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Aborts a queued or running job; a job already in a final state cannot be aborted. */
  abort(job: QueryJob): void {
    const word = FINAL_STATE_WORD[job.state];
    if (word) throw invalidJobState(`Aborting already ${word} Job not allowed`);
    this.stopTimers(job.id);
    job.state = 'Aborted';
    job.systemModstamp = this.clock.now();
  }

  /**
   * Deletes a job and its results. Salesforce only deletes jobs that are not being processed
   * (UploadComplete, JobComplete, Aborted, Failed).
   */
  delete(job: QueryJob): void {
    if (job.state === 'InProgress') throw invalidJobState('Deleting a job that is InProgress is not allowed; abort it first');
    this.stopTimers(job.id);
    this.processing.delete(job.id);
    this.jobs.delete(job.id);
  }

  /** Stops every timer (the emulator is closing or the org was reset). */
  dispose(): void {
    for (const id of this.processing.keys()) this.stopTimers(id);
  }

  private start(job: QueryJob, p: Processing): void {
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    job.systemModstamp = this.clock.now();
    p.startedAt = this.clock.nowPrecise();
  }

  private finish(job: QueryJob, p: Processing): void {
    this.start(job, p);
    if (job.state !== 'InProgress') return;
    job.totalProcessingTime = Math.max(0, Math.round(this.clock.nowPrecise() - (p.startedAt ?? this.clock.nowPrecise())));
    job.systemModstamp = this.clock.now();
    if (p.failure) {
      job.state = 'Failed';
      if (p.failure.message !== undefined) job.errorMessage = p.failure.message;
    } else {
      job.state = 'JobComplete';
      job.numberRecordsProcessed = job.size;
    }
    p.timers = [];
  }

  private stopTimers(id: string): void {
    const p = this.processing.get(id);
    if (!p) return;
    for (const t of p.timers) clearTimeout(t);
    p.timers = [];
  }
}

/** A timer that does not keep the process alive (an emulator closing mid-job must exit). */
function later(ms: number, fn: () => void): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

/** Whether `principal` may see `job`: its creator, or a user who can view all data. */
export function canSeeJob(principal: Principal, job: QueryJob): boolean {
  return job.createdById === principal.userId || principal.profile.viewAllData || principal.profile.modifyAllData;
}
