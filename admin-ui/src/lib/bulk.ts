// Acting on several entries of a list at once (publish, unpublish, move to
// the trash, add a tag): which of the chosen ones each action applies to,
// and running it on each, a few at a time, collecting what failed. The API
// has one request per entry and checks each one itself.
import { describe } from '../api/errors';
import { actions } from './permissions';
import type { AllowedAction, Status } from '../api/types';

export type BulkAction = 'publish' | 'unpublish' | 'trash' | 'tag';

export interface BulkItem {
  id: number;
  title: string;
  status: Status;
  /** What the user may do to it (the server's answer). */
  allowed_actions: readonly AllowedAction[];
}

export const BULK_LABEL: Record<BulkAction, { verb: string; done: string }> = {
  publish: { verb: 'Publish', done: 'Published' },
  unpublish: { verb: 'Unpublish', done: 'Unpublished' },
  trash: { verb: 'Move to trash', done: 'Moved to the trash' },
  tag: { verb: 'Add a tag', done: 'Tagged' },
};

/** applies splits the chosen items into those the action applies to and the others (with why). */
export function applies<T extends BulkItem>(a: BulkAction, items: T[]): { yes: T[]; no: Array<{ item: T; why: string }> } {
  const yes: T[] = [];
  const no: Array<{ item: T; why: string }> = [];
  for (const x of items) {
    const can = actions(x);
    const need = a === 'tag' ? 'save' : a;
    if (can.includes(need)) yes.push(x);
    else if (a === 'publish' && x.status === 'published') no.push({ item: x, why: 'already published' });
    else if (a === 'unpublish' && !['published', 'archived'].includes(x.status)) no.push({ item: x, why: 'not published' });
    else no.push({ item: x, why: 'your role cannot' });
  }
  return { yes, no };
}

export interface BulkResult<T> {
  done: T[];
  failed: Array<{ item: T; error: string }>;
}

/** runBulk calls fn for each item, `width` at a time, and says which worked. */
export async function runBulk<T>(items: T[], fn: (x: T) => Promise<unknown>, width = 3): Promise<BulkResult<T>> {
  const out: BulkResult<T> = { done: [], failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const x = items[next++];
      try {
        await fn(x);
        out.done.push(x);
      } catch (e) {
        out.failed.push({ item: x, error: describe(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
