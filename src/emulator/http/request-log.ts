/**
 * A bounded log of the requests the emulator served, for tests that must prove what reached
 * "Salesforce" (e.g. that a refused query never did). Newest last; oldest dropped past `capacity`.
 */
export interface LoggedRequest {
  seq: number;
  at: number;
  host: string;
  method: string;
  path: string;
  query: string;
  status: number;
  userId?: string;
  /** True when the call was counted against the daily API limit. */
  counted: boolean;
}

export class RequestLog {
  private seq = 0;
  private entries: LoggedRequest[] = [];
  constructor(private readonly capacity = 20_000) {}

  add(e: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const entry = { ...e, seq: ++this.seq };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries = this.entries.slice(-Math.floor(this.capacity / 2));
    return entry;
  }

  /** Entries with seq greater than `after`. */
  since(after = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > after);
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}
