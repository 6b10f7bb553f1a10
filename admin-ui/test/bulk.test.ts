import { describe, expect, it } from 'vitest';
import { applies, runBulk } from '../src/lib/bulk';
import type { AllowedAction } from '../src/api/types';

// What the server lists for an editor on these three.
const editor: Record<number, AllowedAction[]> = {
  1: ['update', 'submit', 'publish', 'schedule', 'delete'],
  2: ['update', 'unpublish', 'archive', 'delete'],
  3: ['update', 'submit', 'publish', 'schedule', 'delete'],
};
// And for the author of 1 and 2 (3 is someone else's).
const author: Record<number, AllowedAction[]> = { 1: ['update', 'submit', 'delete'], 2: [], 3: [] };
const base = [
  { id: 1, title: 'Draft', status: 'draft' as const },
  { id: 2, title: 'Live', status: 'published' as const },
  { id: 3, title: 'Other', status: 'draft' as const },
];
const as = (who: Record<number, AllowedAction[]>) => base.map((x) => ({ ...x, allowed_actions: who[x.id] }));

describe('bulk actions', () => {
  it('say which chosen entries an action applies to', () => {
    const items = as(editor);
    const ed = applies('publish', items);
    expect(ed.yes.map((x) => x.id)).toEqual([1, 3]);
    expect(ed.no).toEqual([{ item: items[1], why: 'already published' }]);
    const mine = applies('trash', as(author));
    expect(mine.yes.map((x) => x.id)).toEqual([1]);
    expect(mine.no.map((n) => n.why)).toEqual(['your role cannot', 'your role cannot']);
    expect(applies('unpublish', items).yes.map((x) => x.id)).toEqual([2]);
    expect(applies('tag', as(author)).yes.map((x) => x.id)).toEqual([1]);
  });

  it('run on each and collect what failed', async () => {
    const r = await runBulk([1, 2, 3, 4], async (n) => {
      if (n === 3) throw new Error('nope');
    });
    expect(r.done.sort()).toEqual([1, 2, 4]);
    expect(r.failed).toEqual([{ item: 3, error: 'nope' }]);
  });
});
