// Field values as text, for diffs ("see the difference", "what changed").

export function fieldText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    return v.map((x) => (typeof x === 'object' && x !== null ? objectLine(x as Record<string, unknown>) : String(x))).join('\n');
  }
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== '' && x !== null && x !== undefined)
      .map(([k, x]) => `${k.replace(/_/g, ' ')}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
      .join('\n');
  }
  return String(v);
}

function objectLine(o: Record<string, unknown>): string {
  if ('label' in o && 'value' in o) return `${o.value} — ${o.label}`;
  return Object.values(o).map(String).join(' · ');
}
