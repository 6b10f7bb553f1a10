import { describe, expect, it } from 'vitest';
import { arrange, descendants, indent, parentChoices } from '../src/lib/pageTree';

const p = (id: number, parent: number | null, menu_order: number, title: string) => ({ id, parent, menu_order, title });

// About (1), Services (2) > Backend (3) > APIs (5), Services > Frontend (4), Contact (6).
const pages = [
  p(4, 2, 2, 'Frontend'),
  p(6, null, 3, 'Contact'),
  p(3, 2, 1, 'Backend'),
  p(1, null, 1, 'About'),
  p(5, 3, 0, 'APIs'),
  p(2, null, 2, 'Services'),
];

const shown = (xs: ReturnType<typeof arrange>) => xs.map((x) => `${'  '.repeat(x.depth)}${x.item.title}`);

describe('pages as a tree', () => {
  it('each parent is followed by its children, siblings by menu_order', () => {
    expect(shown(arrange(pages))).toEqual(['About', 'Services', '  Backend', '    APIs', '  Frontend', 'Contact']);
  });

  it('siblings with the same menu_order go by title', () => {
    expect(shown(arrange([p(1, null, 0, 'Zeta'), p(2, null, 0, 'Alpha')]))).toEqual(['Alpha', 'Zeta']);
  });

  it('a page whose parent is not in the list starts its own tree; a cycle loses nothing and does not loop', () => {
    expect(shown(arrange([p(3, 2, 1, 'Backend'), p(5, 3, 0, 'APIs')]))).toEqual(['Backend', '  APIs']);
    expect(shown(arrange([p(1, 2, 0, 'A'), p(2, 1, 0, 'B')]))).toEqual(['A', '  B']);
    expect(shown(arrange([p(1, 1, 0, 'Self')]))).toEqual(['Self']);
  });
});

describe('the parent picker', () => {
  it('offers neither the page itself nor its descendants', () => {
    expect([...descendants(pages, 2)].sort()).toEqual([3, 4, 5]);
    expect(parentChoices(pages, 2).map((x) => x.item.title)).toEqual(['About', 'Contact']);
    expect(parentChoices(pages, 3).map((x) => x.item.title)).toEqual(['About', 'Services', 'Frontend', 'Contact']);
  });

  it('a new page may go under any page', () => {
    expect(parentChoices(pages, null)).toHaveLength(6);
  });

  it('labels show the depth', () => {
    expect(indent('APIs', 2)).toBe('\u2003\u2003└ APIs');
    expect(indent('', 0)).toBe('Untitled');
  });
});
