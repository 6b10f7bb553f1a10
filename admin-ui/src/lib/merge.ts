// Field-level three-way merge of an entry's editable fields, for a version
// conflict: what only one side changed is taken; text both changed is merged
// line by line; anything else both changed takes "mine" (the user's, on top
// of theirs; theirs stays in the revision history).
import { merge3 } from './diff';

export type FieldKind = 'text' | 'list' | 'value';

export function stable(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}

export function equal(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

/** changedKeys lists the fields whose values differ between a and b. */
export function changedKeys<F extends object>(a: F, b: F): Array<keyof F & string> {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof F & string>;
  return [...keys].filter((k) => !equal(a[k], b[k]));
}

/** mergeList merges lists of names as sets: what either side added stays, what either removed goes. */
export function mergeList(base: string[], mine: string[], theirs: string[]): string[] {
  const removedByMe = new Set(base.filter((x) => !mine.includes(x)));
  const out = theirs.filter((x) => !removedByMe.has(x));
  for (const x of mine) if (!base.includes(x) && !out.includes(x)) out.push(x);
  return out;
}

export interface FieldMerge<F> {
  merged: F;
  /** Fields both sides changed in ways that could not be combined (mine was kept). */
  conflicts: Array<keyof F & string>;
}

export function mergeFields<F extends object>(base: F, mine: F, theirs: F, kinds: Partial<Record<keyof F, FieldKind>>): FieldMerge<F> {
  const merged = { ...theirs } as F;
  const conflicts: Array<keyof F & string> = [];
  const keys = new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)]) as Set<keyof F & string>;
  for (const k of keys) {
    const b = base[k];
    const m = mine[k];
    const t = theirs[k];
    if (equal(m, t) || equal(m, b)) {
      merged[k] = t;
      continue;
    }
    if (equal(t, b)) {
      merged[k] = m;
      continue;
    }
    const kind = kinds[k] ?? 'value';
    if (kind === 'text' && typeof m === 'string' && typeof t === 'string') {
      const r = merge3(typeof b === 'string' ? b : '', m, t, 'mine');
      merged[k] = r.text as F[typeof k];
      if (r.conflicts) conflicts.push(k);
    } else if (kind === 'list' && Array.isArray(m) && Array.isArray(t)) {
      merged[k] = mergeList(Array.isArray(b) ? (b as string[]) : [], m as string[], t as string[]) as F[typeof k];
    } else {
      merged[k] = m;
      conflicts.push(k);
    }
  }
  return { merged, conflicts };
}

/** mergePatch is the RFC 7396 merge patch that turns `from` into `to` (top-level fields). */
export function mergePatch<F extends object>(from: F, to: F): Partial<Record<keyof F, unknown>> {
  const patch: Partial<Record<keyof F, unknown>> = {};
  for (const k of changedKeys(from, to)) {
    patch[k] = to[k] === undefined ? null : to[k];
  }
  return patch;
}

export interface RemoteMerge<F> {
  /** The fields to show: theirs, with the user's own changes on top. */
  fields: F;
  /** Fields both the user and the newer version changed: nothing was merged (the next save asks). */
  clash: Array<keyof F & string>;
  /** Fields the user changed (kept on top of theirs). */
  mine: Array<keyof F & string>;
}

/**
 * mergeRemote takes a newer version saved elsewhere into an open editor:
 * base is what the editor last saved or loaded, mine what it shows now.
 * When the newer version changed no field the user changed, the result is
 * theirs with the user's changes on top; otherwise clash names the fields
 * both changed and fields is mine as it is.
 */
export function mergeRemote<F extends object>(base: F, mine: F, theirs: F): RemoteMerge<F> {
  const m = changedKeys(base, mine);
  const t = new Set(changedKeys(base, theirs));
  const clash = m.filter((k) => t.has(k) && !equal(mine[k], theirs[k]));
  if (clash.length) return { fields: mine, clash, mine: m };
  const fields = { ...theirs } as F;
  for (const k of m) fields[k] = mine[k];
  return { fields, clash: [], mine: m };
}
