import { describe, expect, it } from 'vitest';
import { applyEdit, BLOCKS, blockEdit, continueMarkup, headingIndexAt, indentList } from '../src/lib/mdcommands';

const at = (t: string) => ({ text: t.replace('|', ''), sel: { from: t.indexOf('|'), to: t.indexOf('|') } });
const enter = (t: string) => {
  const { text, sel } = at(t);
  const e = continueMarkup(text, sel);
  return e ? applyEdit(text, e).slice(0, e.selFrom) + '|' + applyEdit(text, e).slice(e.selFrom) : null;
};

describe('Enter continues lists and quotes', () => {
  it('starts the next item', () => {
    expect(enter('- one|')).toBe('- one\n- |');
    expect(enter('  * nested|')).toBe('  * nested\n  * |');
    expect(enter('3. three|')).toBe('3. three\n4. |');
    expect(enter('- [x] done|')).toBe('- [x] done\n- [ ] |');
    expect(enter('> said|')).toBe('> said\n> |');
  });
  it('ends the list on an empty item', () => {
    expect(enter('- one\n- |')).toBe('- one\n\n|');
    expect(enter('> a\n> |')).toBe('> a\n\n|');
  });
  it('leaves other lines and code alone', () => {
    expect(enter('plain|')).toBeNull();
    expect(enter('```\n- not a list|')).toBeNull();
  });
});

describe('Tab indents list items', () => {
  it('moves items in and out, keeping the caret', () => {
    const { text, sel } = at('- a\n- b|');
    const e = indentList(text, sel, 1)!;
    expect(applyEdit(text, e)).toBe('- a\n  - b');
    expect(e.selFrom).toBe(sel.from + 2);
    const out = indentList(applyEdit(text, e), { from: e.selFrom, to: e.selFrom }, -1)!;
    expect(applyEdit(applyEdit(text, e), out)).toBe('- a\n- b');
  });
  it('is no list command outside lists (Tab moves the focus on)', () => {
    const { text, sel } = at('A paragraph|');
    expect(indentList(text, sel, 1)).toBeNull();
  });
});

describe('headings and blocks', () => {
  it('finds the heading a line is under, outside code', () => {
    const doc = 'intro\n## One\ntext\n```\n# not\n```\n### Two\nmore';
    expect(headingIndexAt(doc, 1)).toBe(-1);
    expect(headingIndexAt(doc, 3)).toBe(0);
    expect(headingIndexAt(doc, 8)).toBe(1);
  });
  it('puts a block on a line of its own and selects its placeholder', () => {
    const table = BLOCKS.find((b) => b.key === 'table')!;
    const text = 'Text /tab';
    const e = blockEdit(text, 5, 9, table);
    const out = applyEdit(text, e);
    expect(out).toBe('Text \n\n| Column | Column |\n|---|---|\n| Cell | Cell |');
    expect(out.slice(e.selFrom, e.selTo)).toBe('Column');
  });
});
