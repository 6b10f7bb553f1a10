// Length hints for the SEO panel: what search engines show before cutting.

export interface Hint {
  level: 'ok' | 'short' | 'long' | 'empty';
  text: string;
}

export const TITLE_RANGE = [30, 60] as const;
export const DESCRIPTION_RANGE = [70, 160] as const;

export function lengthHint(value: string, [min, max]: readonly [number, number], what: string, fallback?: string): Hint {
  const n = [...value.trim()].length;
  if (n === 0) {
    return { level: 'empty', text: fallback ? `Empty: ${fallback} is used.` : `Empty: search engines pick their own ${what}.` };
  }
  if (n < min) return { level: 'short', text: `${n} characters: a little short (aim for ${min}–${max}).` };
  if (n > max) return { level: 'long', text: `${n} characters: likely cut off after about ${max}.` };
  return { level: 'ok', text: `${n} characters: a good length.` };
}

/** truncateForResult cuts text as a search result would, at a word, with an ellipsis. */
export function truncateForResult(s: string, max: number): string {
  const t = s.trim();
  if ([...t].length <= max) return t;
  const cut = [...t].slice(0, max).join('');
  const i = cut.lastIndexOf(' ');
  return (i > max * 0.6 ? cut.slice(0, i) : cut).replace(/[\s.,;:–-]+$/, '') + ' …';
}
