// Pages form a tree: each may have a parent page, and siblings are ordered
// by menu_order. These are the pure parts of showing it: the list indented
// under each parent, and the parents a page may take (never itself or one
// of its own descendants, which the server would refuse as a cycle).

export interface TreeNode {
  id: number;
  /** The parent page's id; null for a top-level page. */
  parent: number | null;
  menu_order: number;
  title: string;
}

export interface Placed<T> {
  item: T;
  /** How deep it sits among the pages given: 0 for a top-level one (or one whose parent is not among them). */
  depth: number;
}

const bySiblingOrder = (a: TreeNode, b: TreeNode) => a.menu_order - b.menu_order || a.title.localeCompare(b.title) || a.id - b.id;

/**
 * arrange orders pages as a tree is read: each parent followed by its
 * children (by menu_order, then title), depth first. A page whose parent is
 * not among those given (another page of the list, a filter) starts a tree
 * of its own. A cycle in the data (which the server refuses) cannot loop.
 */
export function arrange<T extends TreeNode>(items: readonly T[]): Placed<T>[] {
  const ids = new Set(items.map((x) => x.id));
  const children = new Map<number | null, T[]>();
  for (const x of items) {
    const p = x.parent !== null && ids.has(x.parent) && x.parent !== x.id ? x.parent : null;
    if (!children.has(p)) children.set(p, []);
    children.get(p)!.push(x);
  }
  for (const list of children.values()) list.sort(bySiblingOrder);
  const out: Placed<T>[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const x of children.get(parent) ?? []) {
      if (seen.has(x.id)) continue;
      seen.add(x.id);
      out.push({ item: x, depth });
      walk(x.id, depth + 1);
    }
  };
  walk(null, 0);
  // Pages only reachable through a cycle: list them at the top rather than lose them.
  for (const x of [...items].sort(bySiblingOrder)) {
    if (!seen.has(x.id)) {
      seen.add(x.id);
      out.push({ item: x, depth: 0 });
      walk(x.id, 1);
    }
  }
  return out;
}

/** descendants lists the ids of every page below id (its children, theirs, …). */
export function descendants(items: readonly TreeNode[], id: number): Set<number> {
  const out = new Set<number>();
  const queue = [id];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const x of items) {
      if (x.parent === cur && !out.has(x.id) && x.id !== id) {
        out.add(x.id);
        queue.push(x.id);
      }
    }
  }
  return out;
}

/**
 * parentChoices are the pages page `id` may be put under, as a tree (null:
 * a new page, which may go under any). Itself and its descendants are left
 * out: choosing one would make a cycle.
 */
export function parentChoices<T extends TreeNode>(items: readonly T[], id: number | null): Placed<T>[] {
  const banned = id === null ? new Set<number>() : descendants(items, id);
  if (id !== null) banned.add(id);
  const allowed = items.filter((x) => !banned.has(x.id));
  return arrange(allowed);
}

/** indent is a choice's label in a select, indented by its depth. */
export function indent(title: string, depth: number): string {
  return '\u2003'.repeat(depth) + (depth ? '└ ' : '') + (title || 'Untitled');
}
