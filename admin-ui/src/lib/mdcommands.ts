// The Markdown toolbar's commands as pure edits of (text, selection), so the
// same code drives CodeMirror and the plain textarea shown while it loads.

export interface Sel {
  from: number;
  to: number;
}

/** An edit: replace [from, to) with insert, then select [selFrom, selTo). */
export interface Edit {
  from: number;
  to: number;
  insert: string;
  selFrom: number;
  selTo: number;
}

export type Command = 'h2' | 'h3' | 'bold' | 'italic' | 'link' | 'ul' | 'ol' | 'quote' | 'code' | 'image';

function wrap(text: string, s: Sel, left: string, right: string, placeholder: string): Edit {
  const inner = text.slice(s.from, s.to);
  // Already wrapped: unwrap.
  if (inner.startsWith(left) && inner.endsWith(right) && inner.length >= left.length + right.length) {
    const un = inner.slice(left.length, inner.length - right.length);
    return { from: s.from, to: s.to, insert: un, selFrom: s.from, selTo: s.from + un.length };
  }
  const body = inner || placeholder;
  return {
    from: s.from,
    to: s.to,
    insert: left + body + right,
    selFrom: s.from + left.length,
    selTo: s.from + left.length + body.length,
  };
}

function lineRange(text: string, s: Sel): Sel {
  const from = text.lastIndexOf('\n', s.from - 1) + 1;
  let to = text.indexOf('\n', s.to > s.from && text[s.to - 1] === '\n' ? s.to - 1 : s.to);
  if (to < 0) to = text.length;
  return { from, to };
}

/**
 * prefixLines puts a prefix on every line of the selection, replacing what
 * `strip` matches (another heading level, another list kind); when every
 * line already has this kind (`on`), it takes it off instead.
 */
function prefixLines(text: string, s: Sel, prefix: (i: number) => string, strip: RegExp, on: RegExp = strip): Edit {
  const r = lineRange(text, s);
  const lines = text.slice(r.from, r.to).split('\n');
  const all = lines.every((l) => on.test(l) || l.trim() === '') && lines.some((l) => l.trim() !== '');
  const out = lines.map((l, i) => (all ? l.replace(strip, '') : l.trim() === '' && lines.length > 1 ? l : prefix(i) + l.replace(strip, '')));
  const insert = out.join('\n');
  return { from: r.from, to: r.to, insert, selFrom: r.from, selTo: r.from + insert.length };
}

export interface CommandArgs {
  url?: string;
  alt?: string;
}

export function applyCommand(text: string, s: Sel, cmd: Command, args: CommandArgs = {}): Edit {
  switch (cmd) {
    case 'h2':
      return prefixLines(text, s, () => '## ', /^#{1,6}\s+/, /^##\s+/);
    case 'h3':
      return prefixLines(text, s, () => '### ', /^#{1,6}\s+/, /^###\s+/);
    case 'bold':
      return wrap(text, s, '**', '**', 'bold text');
    case 'italic':
      return wrap(text, s, '_', '_', 'italic text');
    case 'quote':
      return prefixLines(text, s, () => '> ', /^>\s?/);
    case 'ul':
      return prefixLines(text, s, () => '- ', /^([-*+]|\d+\.)\s+/, /^[-*+]\s+/);
    case 'ol':
      return prefixLines(text, s, (i) => `${i + 1}. `, /^([-*+]|\d+\.)\s+/, /^\d+\.\s+/);
    case 'code': {
      const inner = text.slice(s.from, s.to);
      if (inner.includes('\n')) {
        const before = s.from > 0 && text[s.from - 1] !== '\n' ? '\n' : '';
        const insert = `${before}\`\`\`\n${inner.replace(/\n$/, '')}\n\`\`\`\n`;
        return { from: s.from, to: s.to, insert, selFrom: s.from + before.length + 4, selTo: s.from + before.length + 4 + inner.replace(/\n$/, '').length };
      }
      return wrap(text, s, '`', '`', 'code');
    }
    case 'link': {
      const label = text.slice(s.from, s.to) || 'link text';
      const url = args.url || 'https://';
      const insert = `[${label}](${url})`;
      // Select the URL so it can be typed over.
      const at = s.from + label.length + 3;
      return { from: s.from, to: s.to, insert, selFrom: at, selTo: at + url.length };
    }
    case 'image': {
      const alt = (args.alt ?? '').replace(/[[\]]/g, '');
      const url = args.url ?? '';
      const before = s.from > 0 && text[s.from - 1] !== '\n' ? '\n\n' : '';
      const insert = `${before}![${alt}](${url})\n`;
      const end = s.from + insert.length;
      return { from: s.from, to: s.to, insert, selFrom: end, selTo: end };
    }
  }
}

export function applyEdit(text: string, e: Edit): string {
  return text.slice(0, e.from) + e.insert + text.slice(e.to);
}

// ---- writing lists and quotes (Enter, Tab, Shift-Tab in the editor) ----

const ITEM = /^(\s*)([-*+]|\d+[.)])(\s+)(\[[ xX]\]\s+)?/;
const QUOTE = /^(\s*>\s?)+/;

function lineAt(text: string, pos: number): { from: number; to: number; text: string } {
  const from = text.lastIndexOf('\n', pos - 1) + 1;
  let to = text.indexOf('\n', pos);
  if (to < 0) to = text.length;
  return { from, to, text: text.slice(from, to) };
}

/** inFence: is the line starting at `from` inside a fenced code block? */
function inFence(text: string, from: number): boolean {
  let open = false;
  for (const l of text.slice(0, from).split('\n')) if (/^\s*(```|~~~)/.test(l)) open = !open;
  return open;
}

/**
 * continueMarkup is Enter at the caret: on a list item it starts the next
 * item (numbered lists count on, task items start unticked), on a quote it
 * continues the quote; on an item or quote line with nothing after its
 * marker it ends the list or quote instead. null: an ordinary Enter.
 */
export function continueMarkup(text: string, s: Sel): Edit | null {
  if (s.from !== s.to) return null;
  const line = lineAt(text, s.from);
  if (inFence(text, line.from)) return null;
  const before = line.text.slice(0, s.from - line.from);
  const item = ITEM.exec(line.text);
  if (item && before.length >= item[0].length) {
    if (line.text.trim() === item[0].trim()) {
      // An empty item: Enter ends the list (the marker goes, and a blank line
      // parts what comes next from the list).
      return { from: line.from, to: line.to, insert: '\n', selFrom: line.from + 1, selTo: line.from + 1 };
    }
    const [, indent, marker, space, task] = item;
    const num = /^(\d+)([.)])$/.exec(marker);
    const next = num ? `${Number(num[1]) + 1}${num[2]}` : marker;
    const insert = `\n${indent}${next}${space}${task ? '[ ] ' : ''}`;
    return { from: s.from, to: s.from, insert, selFrom: s.from + insert.length, selTo: s.from + insert.length };
  }
  const quote = QUOTE.exec(line.text);
  if (quote && before.length >= quote[0].length) {
    if (line.text.trim().replace(/>/g, '').trim() === '') return { from: line.from, to: line.to, insert: '\n', selFrom: line.from + 1, selTo: line.from + 1 };
    const insert = '\n' + quote[0];
    return { from: s.from, to: s.from, insert, selFrom: s.from + insert.length, selTo: s.from + insert.length };
  }
  return null;
}

/**
 * indentList is Tab (dir 1) or Shift-Tab (dir -1) on the list items the
 * selection touches: they move in or out by one level (two spaces). null
 * when the selection is not in a list, so that Tab moves the focus on.
 */
export function indentList(text: string, s: Sel, dir: 1 | -1): Edit | null {
  const r = lineRange(text, s);
  const lines = text.slice(r.from, r.to).split('\n');
  if (!lines.some((l) => ITEM.test(l)) || lines.some((l) => l.trim() !== '' && !ITEM.test(l) && !/^\s+\S/.test(l))) return null;
  const out = lines.map((l) => {
    if (!ITEM.test(l)) return l;
    if (dir === 1) return '  ' + l;
    return l.replace(/^( {1,2}|\t)/, '');
  });
  const insert = out.join('\n');
  if (insert === lines.join('\n')) return { from: r.from, to: r.to, insert, selFrom: s.from, selTo: s.to };
  // Keep the caret on the same character.
  const first = out[0].length - lines[0].length;
  const total = insert.length - (r.to - r.from);
  const selFrom = Math.max(r.from, s.from + first);
  return { from: r.from, to: r.to, insert, selFrom, selTo: s.to === s.from ? selFrom : Math.max(selFrom, s.to + total) };
}

/**
 * headingIndexAt is which heading of the text (0 for the first, in order,
 * "#" headings outside code blocks) a line (1-based) falls under; -1 above
 * the first. The preview scrolls to the same heading.
 */
export function headingIndexAt(text: string, line: number): number {
  let n = -1;
  let fence = false;
  const lines = text.split('\n');
  for (let i = 0; i < Math.min(line, lines.length); i++) {
    const l = lines[i];
    if (/^\s*(```|~~~)/.test(l)) fence = !fence;
    else if (!fence && /^ {0,3}#{1,6}(\s|$)/.test(l)) n++;
  }
  return n;
}

/** A block the "/" menu inserts: its name, what it is, and the Markdown (¦ marks what gets selected). */
export interface Block {
  key: string;
  label: string;
  detail: string;
  markdown?: string;
  command?: Command;
}

export const BLOCKS: Block[] = [
  { key: 'h2', label: 'Heading', detail: '## at the line start', markdown: '## ¦Heading¦' },
  { key: 'h3', label: 'Subheading', detail: '###', markdown: '### ¦Subheading¦' },
  { key: 'ul', label: 'Bulleted list', detail: '- item', markdown: '- ¦Item¦' },
  { key: 'ol', label: 'Numbered list', detail: '1. item', markdown: '1. ¦Item¦' },
  { key: 'image', label: 'Image', detail: 'from the media library', command: 'image' },
  { key: 'table', label: 'Table', detail: '| a | b |', markdown: '| ¦Column¦ | Column |\n|---|---|\n| Cell | Cell |' },
  { key: 'code', label: 'Code block', detail: '```', markdown: '```\n¦code¦\n```' },
  { key: 'quote', label: 'Quote', detail: '> text', markdown: '> ¦Quote¦' },
  { key: 'cta', label: 'Call to action', detail: 'a highlighted link', markdown: '> **¦Ready to talk?¦** [Get in touch](https://)' },
];

/** blockEdit replaces [from, to) (the typed "/word") with a block's Markdown, on a line of its own. */
export function blockEdit(text: string, from: number, to: number, b: Block): Edit {
  const md = b.markdown ?? '';
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const pre = text.slice(lineStart, from).trim() === '' ? '' : '\n\n';
  const [a, sel, c] = md.split('¦');
  const insert = pre + a + (sel ?? '') + (c ?? '');
  const at = from + pre.length + a.length;
  return { from, to, insert, selFrom: at, selTo: at + (sel ?? '').length };
}
