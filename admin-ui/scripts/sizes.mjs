// Reports the built app's sizes: raw, and as a browser receives them (the
// brotli and gzip copies the build writes beside each file, which folio
// sends as they are). Fails when the JavaScript of the first load (the entry
// and what index.html preloads) is 150 KB gzipped or more. Lazy chunks (the
// Markdown editor, …) are listed apart.
//
//   node scripts/sizes.mjs [dist] [--markdown]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const dist = args.find((a) => !a.startsWith('--')) ?? 'dist';
const md = args.includes('--markdown');
const LIMIT = 150 * 1024;

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = new Set([...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+)"/g)].map((m) => m[1]));
const size = (p, make) => (existsSync(p) ? readFileSync(p).length : make());
const rows = readdirSync(join(dist, 'assets'))
  .filter((f) => !/\.(br|gz)$/.test(f))
  .sort()
  .map((f) => {
    const file = join(dist, 'assets', f);
    const body = readFileSync(file);
    const p = `assets/${f}`;
    return {
      file: p,
      raw: body.length,
      br: size(file + '.br', () => NaN),
      gz: size(file + '.gz', () => gzipSync(body, { level: 9 }).length),
      load: first.has(p) ? 'first load' : 'lazy',
    };
  });
const kb = (n) => (Number.isNaN(n) ? '—' : `${(n / 1024).toFixed(1)} KB`);
const sum = (key, pick) => rows.filter(pick).reduce((n, r) => n + r[key], 0);
const firstJS = (r) => r.load === 'first load' && r.file.endsWith('.js');
const firstAll = (r) => r.load === 'first load';

if (md) {
  console.log('| File | Loaded | Size | Brotli (sent) | Gzip |\n|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| \`${r.file.replace(/-[\w-]{8}\./, '-[hash].')}\` | ${r.load} | ${kb(r.raw)} | ${kb(r.br)} | ${kb(r.gz)} |`);
  console.log(`\nFirst load: **${kb(sum('br', firstAll))}** sent with brotli (JavaScript ${kb(sum('br', firstJS))}; gzip ${kb(sum('gz', firstJS))}, limit 150 KB).`);
} else {
  for (const r of rows) console.log(`${r.file.padEnd(40)} ${r.load.padEnd(11)} ${kb(r.raw).padStart(10)} ${kb(r.br).padStart(10)} br ${kb(r.gz).padStart(10)} gzip`);
  console.log(`first load: ${kb(sum('br', firstAll))} with brotli; its JavaScript ${kb(sum('br', firstJS))} brotli, ${kb(sum('gz', firstJS))} gzip (limit ${kb(LIMIT)} gzip)`);
}
const firstGz = sum('gz', firstJS);
if (firstGz >= LIMIT) {
  console.error(`the first load needs ${kb(firstGz)} of JavaScript gzipped: over the ${kb(LIMIT)} budget`);
  process.exit(1);
}
