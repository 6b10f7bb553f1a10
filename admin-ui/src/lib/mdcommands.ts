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
