// An API error's field details as sentences for people, each with the
// field it is about (the editor links to it and focuses it):
// "cover_image.alt: is required to publish: …" becomes "The cover image
// needs alt text before it can be published".

export interface Problem {
  /** The field as the API names it (cover_image.alt, tags[2], seo.meta_title). */
  field: string;
  /** The sentence. */
  text: string;
}

const PARTS: Record<string, string> = {
  alt: 'alt text',
  url: 'address',
  media_id: 'media item',
  meta_title: 'meta title',
  meta_description: 'meta description',
  canonical_url: 'canonical URL',
  og_image: 'social image',
  label: 'label',
  value: 'value',
  quote: 'quote',
  author: 'name of who said it',
  role: 'role',
};

/** The thing a field path names, as words: "the cover image", "tag 3", "the label of metric 1". */
export function fieldName(field: string, labels: Record<string, string>): string {
  const m = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?$/.exec(field);
  if (!m) return field;
  const [, top, index, part] = m;
  let base = (labels[top] ?? top.replace(/_/g, ' ')).toLowerCase();
  if (top === 'seo') base = 'SEO';
  if (index !== undefined) {
    const one = base.replace(/ies$/, 'y').replace(/s$/, '');
    const item = `${one} ${Number(index) + 1}`;
    return part ? `the ${PARTS[part] ?? part.replace(/_/g, ' ')} of ${item}` : item;
  }
  if (part) {
    if (top === 'seo') return `the ${PARTS[part] ?? part} (SEO)`;
    return `the ${base}’s ${PARTS[part] ?? part.replace(/_/g, ' ')}`;
  }
  return base === 'SEO' ? 'the SEO settings' : `the ${base}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** problem turns one detail into a sentence. */
export function problem(field: string, message: string, labels: Record<string, string>): Problem {
  const msg = message.trim().replace(/\.$/, '');
  const alt = /^([a-z_]+)\.alt$/.exec(field);
  if (alt && /required to publish/.test(msg)) {
    return { field, text: `${cap(fieldName(alt[1], labels))} needs alt text before it can be published.` };
  }
  if (/^is required to publish/.test(msg)) {
    return { field, text: `${cap(fieldName(field, labels))} is needed before it can be published.` };
  }
  const name = fieldName(field, labels);
  // "is required" / "must be …" / "is already used …" read on from the field's name.
  if (/^(is|are|must|should|may|can|has|needs|contains)\b/.test(msg)) return { field, text: `${cap(name)} ${msg}.` };
  return { field, text: `${cap(name)}: ${msg}.` };
}

/** problems lists an error's details as sentences, in the order the API gave them. */
export function problems(details: Array<{ field: string; message: string }>, labels: Record<string, string>): Problem[] {
  return details.map((d) => problem(d.field, d.message, labels));
}

/**
 * fieldElement finds the control for a field path in a form: the element
 * marked data-field with the path, else with its longest prefix
 * (cover_image.alt → cover_image), and in it the first control.
 */
export function fieldElement(root: ParentNode, field: string): HTMLElement | null {
  const candidates = [field];
  for (let f = field; /[.[]/.test(f); ) {
    f = f.replace(/(\.[a-z_]+|\[\d+\])$/, '');
    candidates.push(f);
  }
  for (const c of candidates) {
    const box = root.querySelector<HTMLElement>(`[data-field="${CSS.escape(c)}"]`);
    if (!box) continue;
    const control = box.matches('input, textarea, select, [contenteditable="true"]')
      ? box
      : box.querySelector<HTMLElement>('input:not([type="hidden"]), textarea, select, [contenteditable="true"], button');
    return control ?? box;
  }
  return null;
}
