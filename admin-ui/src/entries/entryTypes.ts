// Each entry type as the admin app shows it, beyond what api/entries.ts
// (its Kind: names, routes, fields) and lib/listQuery.ts (its list filters)
// say: the column of its own in the list, where its filters' choices come
// from, and its editor form. EntryList, EditorScreen and the navigation know
// the types only through this table; a new type is one row here.
import type { Component } from 'svelte';
import { caseStudyKind, kindOf, type AnyEdit, type AnyFull, type AnyItem, type Kind } from '../api/entries';
import type { AdminCaseStudyItem, AdminPageItem, AdminPostItem, EntryType, Permissions } from '../api/types';
import { client } from '../lib/app.svelte';
import { entries, type EditorModel } from '../lib/editor.svelte';
import type { FilterKey } from '../lib/listQuery';
import { can } from '../lib/permissions';
import CaseStudyForm from './CaseStudyForm.svelte';
import PageForm from './PageForm.svelte';
import PostForm from './PostForm.svelte';

export interface Choice {
  value: string;
  label: string;
}

export interface EntryTypeUI {
  kind: Kind<AnyEdit, AnyFull>;
  /** The list's column of this type's own: its heading, its label on a phone, its text. */
  column: { head: string; label: string; text: (x: AnyItem) => string };
  /** Fetches the choices of the list's filters, calling set as each arrives (the filtering is the server's). */
  choices: (perms: Permissions, set: (key: FilterKey, choices: Choice[]) => void) => void;
  /** The editor's form for the type's fields: part 'main' beside the text, 'settings' in the settings panel. */
  Form: Component<{ model: EditorModel<AnyEdit>; part: FormPart }>;
  /** The fields the settings panel holds (an error about one opens the panel). */
  settings: string[];
  /** Whether the list offers "Add a tag" to several entries at once (the type has tags). */
  tags: boolean;
  /**
   * Entries of the type form a tree (pages under their parent): the list shows
   * them indented under their parents, siblings by menu order, when sorted by
   * default; it asks for parent and menu order of each.
   */
  tree?: (x: AnyItem) => { parent: number | null; menu_order: number };
}

export type FormPart = 'main' | 'settings';

const plain = (xs: string[]): Choice[] => xs.map((x) => ({ value: x, label: x }));
const form = <F extends AnyEdit>(c: Component<{ model: EditorModel<F>; part: FormPart }>) => c as unknown as Component<{ model: EditorModel<AnyEdit>; part: FormPart }>;

export const ENTRY_TYPES: Record<EntryType, EntryTypeUI> = {
  post: {
    kind: kindOf('post'),
    column: { head: 'Tags', label: 'Tags', text: (x) => (x as AdminPostItem).tags.map((t) => t.name).join(', ') },
    choices: (perms, set) => {
      client
        .call('get', '/api/v1/admin/tags', {})
        .then((r) => set('tag', r.data.map((t) => ({ value: t.slug, label: t.name }))))
        .catch(() => {});
      if (can(perms, 'users.manage')) {
        client
          .call('get', '/api/v1/admin/users', { query: { per_page: '100' } })
          .then((r) => set('author', r.data.map((u) => ({ value: u.slug, label: u.name })).sort((a, b) => a.label.localeCompare(b.label))))
          .catch(() => {});
      }
    },
    Form: form(PostForm),
    settings: ['slug', 'excerpt', 'tags', 'cover_image', 'seo', 'featured', 'author_id'],
    tags: true,
  },
  case_study: {
    kind: kindOf('case_study'),
    column: {
      head: 'Client / industry',
      label: 'Client',
      text: (x) => {
        const c = x as AdminCaseStudyItem;
        return c.client + (c.industry ? ` · ${c.industry}` : '');
      },
    },
    choices: (_, set) => {
      // No endpoint lists industries and technologies: take them from the latest 100 case studies.
      entries
        .list<AdminCaseStudyItem>(caseStudyKind, { per_page: '100' })
        .then((r) => {
          set('industry', plain([...new Set(r.data.map((c) => c.industry).filter((i): i is string => !!i))].sort()));
          set('technology', plain([...new Set(r.data.flatMap((c) => c.technologies ?? []).filter(Boolean))].sort((a, b) => a.localeCompare(b))));
        })
        .catch(() => {});
    },
    Form: form(CaseStudyForm),
    settings: ['slug', 'cover_image', 'logo', 'seo', 'featured'],
    tags: false,
  },
  page: {
    kind: kindOf('page'),
    column: { head: 'Path', label: 'Path', text: (x) => (x as AdminPageItem).path },
    choices: () => {},
    Form: form(PageForm),
    settings: ['slug', 'parent_id', 'menu_order', 'excerpt', 'cover_image', 'seo'],
    tags: false,
    tree: (x) => ({ parent: (x as AdminPageItem).parent_id ?? null, menu_order: (x as AdminPageItem).menu_order }),
  },
};

/** The entry types in the order the app lists them (navigation, dashboard). */
export const TYPES = Object.keys(ENTRY_TYPES) as EntryType[];

/** How each filter is offered: its label, the choice for "no filter", and how to name a value the choices lack. */
export const FILTER_UI: Record<FilterKey, { label: string; any: string; current?: (value: string, items: AnyItem[]) => string }> = {
  tag: { label: 'Tag', any: 'Any' },
  author: {
    label: 'Author',
    any: 'Anyone',
    // A link may name an author the list of users lacks (only admins get that list): their name from the items.
    current: (slug, items) => (items as AdminPostItem[]).find((x) => x.author?.slug === slug)?.author?.name ?? slug,
  },
  industry: { label: 'Industry', any: 'Any' },
  technology: { label: 'Technology', any: 'Any' },
};
