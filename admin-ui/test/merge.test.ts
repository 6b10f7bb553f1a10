import { describe, expect, it } from 'vitest';
import { diffLines, merge3, showDiff, splitLines } from '../src/lib/diff';
import { changedKeys, equal, mergeFields, mergeList, mergePatch } from '../src/lib/merge';

function applyOps(a: string, ops: ReturnType<typeof diffLines>) {
  const out: string[] = [];
  for (const d of ops) if (d.op !== 'del') out.push(...d.lines);
  const before: string[] = [];
  for (const d of ops) if (d.op !== 'ins') before.push(...d.lines);
  expect(before).toEqual(splitLines(a));
  return out.join('\n');
}

describe('diffLines', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['a', ''],
    ['', 'a\nb'],
    ['a\nb\nc', 'a\nc'],
    ['a\nb\nc', 'a\nB\nc\nd'],
    ['x\ny\nz\nx\ny\nz', 'y\nz\nx\nq\nz\nx'],
  ];
  it.each(cases)('%j → %j reconstructs both sides', (a, b) => {
    expect(applyOps(a, diffLines(a, b))).toBe(b);
  });

  it('finds a minimal edit for a changed line', () => {
    const ops = diffLines('one\ntwo\nthree', 'one\n2\nthree');
    expect(ops).toEqual([
      { op: 'eq', lines: ['one'] },
      { op: 'del', lines: ['two'] },
      { op: 'ins', lines: ['2'] },
      { op: 'eq', lines: ['three'] },
    ]);
  });

  it('handles random edits', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    for (let i = 0; i < 200; i++) {
      const a = Array.from({ length: Math.floor(rnd() * 12) }, () => 'abcd'[Math.floor(rnd() * 4)]).join('\n');
      const b = Array.from({ length: Math.floor(rnd() * 12) }, () => 'abcd'[Math.floor(rnd() * 4)]).join('\n');
      expect(applyOps(a, diffLines(a, b))).toBe(b);
    }
  });

  it('folds long unchanged stretches for display', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const b = a.replace('5', 'five');
    const shown = showDiff(a, b, 1);
    expect(shown.map((l) => l.kind)).toEqual(['skip', 'eq', 'del', 'ins', 'eq', 'skip']);
  });
});

describe('merge3', () => {
  const base = 'Intro.\n\nMiddle paragraph.\n\nEnd.';
  it('keeps both when the edits are apart', () => {
    const mine = 'Line from A.\n\n' + base;
    const theirs = base + '\n\nParagraph from B.';
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toBe(0);
    expect(r.text).toBe('Line from A.\n\nIntro.\n\nMiddle paragraph.\n\nEnd.\n\nParagraph from B.');
  });
  it('takes the one side that changed', () => {
    expect(merge3(base, base, 'x')).toEqual({ text: 'x', conflicts: 0 });
    expect(merge3(base, 'y', base)).toEqual({ text: 'y', conflicts: 0 });
  });
  it('the same change on both sides is no conflict', () => {
    const both = base.replace('Middle', 'Central');
    expect(merge3(base, both, both)).toEqual({ text: both, conflicts: 0 });
  });
  it('where both changed the same lines, mine wins (yours on top of theirs)', () => {
    const mine = base.replace('Middle paragraph.', 'My middle.');
    const theirs = base.replace('Middle paragraph.', 'Their middle.').replace('End.', 'The end.');
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toBe(1);
    expect(r.text).toBe('Intro.\n\nMy middle.\n\nThe end.');
    expect(merge3(base, mine, theirs, 'theirs').text).toBe('Intro.\n\nTheir middle.\n\nThe end.');
  });
});

describe('field merge', () => {
  type F = { title: string; body: string; tags: string[]; featured: boolean; seo: { meta_title: string } };
  const base: F = { title: 'T', body: 'a\nb\nc', tags: ['x', 'y'], featured: false, seo: { meta_title: '' } };
  const kinds = { body: 'text', tags: 'list' } as const;

  it('takes each side’s own changes', () => {
    const mine = { ...base, title: 'Mine', body: 'A\nb\nc' };
    const theirs = { ...base, featured: true, body: 'a\nb\nC' };
    const r = mergeFields(base, mine, theirs, kinds);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ ...base, title: 'Mine', featured: true, body: 'A\nb\nC' });
  });

  it('merges tag lists as sets', () => {
    expect(mergeList(['x', 'y'], ['x', 'y', 'm'], ['y', 't'])).toEqual(['y', 't', 'm']);
    expect(mergeList(['x', 'y'], ['y'], ['x', 'y', 't'])).toEqual(['y', 't']);
  });

  it('a value both changed keeps mine and reports it', () => {
    const r = mergeFields(base, { ...base, title: 'Mine' }, { ...base, title: 'Theirs' }, kinds);
    expect(r.merged.title).toBe('Mine');
    expect(r.conflicts).toEqual(['title']);
  });

  it('nothing typed is lost: every line I added is in the result', () => {
    const mine = { ...base, body: 'new first\na\nb\nc\nnew last' };
    const theirs = { ...base, body: 'a\nB!\nc' };
    const r = mergeFields(base, mine, theirs, kinds);
    expect(r.merged.body).toBe('new first\na\nB!\nc\nnew last');
  });

  it('changedKeys and equal look into objects', () => {
    expect(equal({ a: 1, b: { c: 2 } }, { b: { c: 2 }, a: 1 })).toBe(true);
    expect(changedKeys(base, { ...base, seo: { meta_title: 'x' } })).toEqual(['seo']);
  });

  it('mergePatch holds only what changed', () => {
    expect(mergePatch(base, { ...base, body: 'z', tags: [] })).toEqual({ body: 'z', tags: [] });
    expect(mergePatch(base, base)).toEqual({});
  });
});
