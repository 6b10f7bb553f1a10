import { describe, expect, it } from 'vitest';
import { applies, runBulk } from '../src/lib/bulk';

const items = [
  { id: 1, title: 'Draft', status: 'draft' as const, author: { id: 7 } },
  { id: 2, title: 'Live', status: 'published' as const, author: { id: 7 } },
  { id: 3, title: 'Other', status: 'draft' as const, author: { id: 8 } },
];

describe('bulk actions', () => {
  it('say which chosen entries an action applies to', () => {
    const ed = applies('publish', 'post', { id: 1, role: 'editor' }, items);
    expect(ed.yes.map((x) => x.id)).toEqual([1, 3]);
    expect(ed.no).toEqual([{ item: items[1], why: 'already published' }]);
    const author = applies('trash', 'post', { id: 7, role: 'author' }, items);
    expect(author.yes.map((x) => x.id)).toEqual([1]);
    expect(author.no.map((n) => n.why)).toEqual(['your role cannot', 'your role cannot']);
    expect(applies('unpublish', 'post', { id: 1, role: 'admin' }, items).yes.map((x) => x.id)).toEqual([2]);
  });

  it('run on each and collect what failed', async () => {
    const r = await runBulk([1, 2, 3, 4], async (n) => {
      if (n === 3) throw new Error('nope');
    });
    expect(r.done.sort()).toEqual([1, 2, 4]);
    expect(r.failed).toEqual([{ item: 3, error: 'nope' }]);
  });
});
