// Every page, for the tree: the pages list and the parent picker show all
// of them (a site has tens, not thousands), fetched a hundred at a time.
import { pageKind } from '../api/entries';
import type { AdminPageItem } from '../api/types';
import { entries } from '../lib/editor.svelte';
import type { TreeNode } from '../lib/pageTree';

export interface PageNode extends TreeNode {
  path: string;
}

export const pageNode = (p: AdminPageItem): PageNode => ({ id: p.id, parent: p.parent_id ?? null, menu_order: p.menu_order, title: p.title, path: p.path });

/** allPages lists every page (not in the trash) as tree nodes, in at most a few requests. */
export async function allPages(signal?: AbortSignal): Promise<PageNode[]> {
  const out: PageNode[] = [];
  for (let page = 1; page <= 20; page++) {
    const r = await entries.list<AdminPageItem>(pageKind, { per_page: '100', page: String(page) }, signal);
    out.push(...r.data.map(pageNode));
    if (page >= r.meta.total_pages) break;
  }
  return out;
}
