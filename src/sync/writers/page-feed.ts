/**
 * A page's feed entries by op, as a writer learns them row by row; both writers classify the
 * same way. Grouped by op: ids are unique within a page, written in one transaction, so the order
 * among them carries nothing.
 */
import type { ChangeOp } from '../feed.js';

export class PageFeed {
  readonly insert: string[] = [];
  readonly update: string[] = [];
  readonly delete: string[] = [];

  /**
   * One written row. `before` is what the table held for it: undefined (no row), null (a live
   * row) or when it was marked deleted. A deleted row is an entry only when it was not already
   * marked deleted; a live one is an update when it existed, else an insert.
   */
  add(id: string, deletedNow: boolean, before: number | null | undefined): void {
    if (deletedNow) {
      if (before === undefined || before === null) this.delete.push(id);
    } else if (before !== undefined) this.update.push(id);
    else this.insert.push(id);
  }

  /** The entries for recordFeed, by op. */
  groups(): [ChangeOp, string[]][] {
    return [
      ['insert', this.insert],
      ['update', this.update],
      ['delete', this.delete],
    ];
  }
}
