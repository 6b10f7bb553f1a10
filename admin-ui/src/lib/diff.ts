// Line diffs (Myers' O(ND) algorithm) and a three-way merge of text, for the
// conflict dialog ("see the difference", "keep yours on top of theirs") and
// the revisions panel ("what changed").

export type DiffOp = { op: 'eq' | 'del' | 'ins'; lines: string[] };

export function splitLines(s: string): string[] {
  return s === '' ? [] : s.replace(/\r\n/g, '\n').split('\n');
}

/** diffLines returns the edit script from a to b, as runs of equal, deleted and inserted lines. */
export function diffLines(a: string | string[], b: string | string[]): DiffOp[] {
  const A = typeof a === 'string' ? splitLines(a) : a;
  const B = typeof b === 'string' ? splitLines(b) : b;
  // Common prefix and suffix are cheap and make the core search small.
  let pre = 0;
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  let suf = 0;
  while (suf < A.length - pre && suf < B.length - pre && A[A.length - 1 - suf] === B[B.length - 1 - suf]) suf++;
  const a2 = A.slice(pre, A.length - suf);
  const b2 = B.slice(pre, B.length - suf);
  const ops: DiffOp[] = [];
  const push = (op: DiffOp['op'], line: string) => {
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.lines.push(line);
    else ops.push({ op, lines: [line] });
  };
  for (const l of A.slice(0, pre)) push('eq', l);
  for (const [op, line] of myers(a2, b2)) push(op, line);
  for (const l of A.slice(A.length - suf)) push('eq', l);
  return ops;
}

function myers(a: string[], b: string[]): Array<['eq' | 'del' | 'ins', string]> {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((l) => ['ins', l]);
  if (m === 0) return a.map((l) => ['del', l]);
  const max = n + m;
  const off = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from the end.
  const out: Array<['eq' | 'del' | 'ins', string]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[off + k - 1] < vd[off + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push(['eq', a[x - 1]]);
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) out.push(['ins', b[y - 1]]);
      else out.push(['del', a[x - 1]]);
    }
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** A change to base: lines [start, end) of base replaced by `lines`. */
export interface Hunk {
  start: number;
  end: number;
  lines: string[];
}

export function hunks(base: string[], other: string[]): Hunk[] {
  const out: Hunk[] = [];
  let i = 0;
  let cur: Hunk | null = null;
  for (const d of diffLines(base, other)) {
    if (d.op === 'eq') {
      if (cur) out.push(cur);
      cur = null;
      i += d.lines.length;
      continue;
    }
    cur ??= { start: i, end: i, lines: [] };
    if (d.op === 'del') {
      i += d.lines.length;
      cur.end = i;
    } else {
      cur.lines.push(...d.lines);
    }
  }
  if (cur) out.push(cur);
  return out;
}

export interface Merge3 {
  text: string;
  /** Places where both sides changed the same lines differently. */
  conflicts: number;
}

/**
 * merge3 merges two edits of one text: changes only one side made are
 * taken; where both changed the same lines differently, `prefer` wins
 * (the default: mine, "keep yours on top of theirs").
 */
export function merge3(base: string, mine: string, theirs: string, prefer: 'mine' | 'theirs' = 'mine'): Merge3 {
  if (mine === theirs) return { text: mine, conflicts: 0 };
  if (mine === base) return { text: theirs, conflicts: 0 };
  if (theirs === base) return { text: mine, conflicts: 0 };
  const b = splitLines(base);
  const hm = hunks(b, splitLines(mine));
  const ht = hunks(b, splitLines(theirs));
  const out: string[] = [];
  let pos = 0;
  let im = 0;
  let it = 0;
  let conflicts = 0;
  while (im < hm.length || it < ht.length) {
    const lo = Math.min(hm[im]?.start ?? Infinity, ht[it]?.start ?? Infinity);
    let hi = lo;
    const cm: Hunk[] = [];
    const ct: Hunk[] = [];
    for (let grew = true; grew; ) {
      grew = false;
      if (im < hm.length && hm[im].start <= hi) {
        hi = Math.max(hi, hm[im].end);
        cm.push(hm[im++]);
        grew = true;
      }
      if (it < ht.length && ht[it].start <= hi) {
        hi = Math.max(hi, ht[it].end);
        ct.push(ht[it++]);
        grew = true;
      }
    }
    out.push(...b.slice(pos, lo));
    const mineRegion = apply(b, lo, hi, cm);
    const theirRegion = apply(b, lo, hi, ct);
    if (!cm.length) out.push(...theirRegion);
    else if (!ct.length) out.push(...mineRegion);
    else if (mineRegion.join('\n') === theirRegion.join('\n')) out.push(...mineRegion);
    else {
      conflicts++;
      out.push(...(prefer === 'mine' ? mineRegion : theirRegion));
    }
    pos = hi;
  }
  out.push(...b.slice(pos));
  return { text: out.join('\n'), conflicts };
}

function apply(b: string[], lo: number, hi: number, hs: Hunk[]): string[] {
  const r: string[] = [];
  let p = lo;
  for (const h of hs) {
    r.push(...b.slice(p, h.start), ...h.lines);
    p = h.end;
  }
  r.push(...b.slice(p, hi));
  return r;
}

/** A diff for display, with unchanged stretches folded to `context` lines around changes. */
export interface ShownLine {
  kind: 'eq' | 'del' | 'ins' | 'skip';
  text: string;
}

export function showDiff(a: string, b: string, context = 2): ShownLine[] {
  const out: ShownLine[] = [];
  const ops = diffLines(a, b);
  ops.forEach((d, idx) => {
    if (d.op !== 'eq') {
      for (const l of d.lines) out.push({ kind: d.op, text: l });
      return;
    }
    const first = idx === 0;
    const last = idx === ops.length - 1;
    const keepHead = first ? 0 : context;
    const keepTail = last ? 0 : context;
    if (d.lines.length <= keepHead + keepTail + 1) {
      for (const l of d.lines) out.push({ kind: 'eq', text: l });
      return;
    }
    for (const l of d.lines.slice(0, keepHead)) out.push({ kind: 'eq', text: l });
    out.push({ kind: 'skip', text: `${d.lines.length - keepHead - keepTail} unchanged lines` });
    for (const l of d.lines.slice(d.lines.length - keepTail)) out.push({ kind: 'eq', text: l });
  });
  return out;
}
