// Reports the built app's sizes (raw and gzip -9) and fails when the
// JavaScript of the first load (the entry and what index.html preloads) is
// 150 KB gzipped or more. Lazy chunks (the Markdown editor) are listed apart.
//
//   node scripts/sizes.mjs [dist] [--markdown]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const dist = args.find((a) => !a.startsWith('--')) ?? 'dist';
const md = args.includes('--markdown');
const LIMIT = 150 * 1024;

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = new Set([...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+)"/g)].map((m) => m[1]));
const rows = readdirSync(join(dist, 'assets'))
  .sort()
  .map((f) => {
    const body = readFileSync(join(dist, 'assets', f));
    const p = `assets/${f}`;
    return { file: p, raw: body.length, gz: gzipSync(body, { level: 9 }).length, load: first.has(p) ? 'first load' : 'lazy' };
  });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const firstJS = rows.filter((r) => r.load === 'first load' && r.file.endsWith('.js')).reduce((n, r) => n + r.gz, 0);

if (md) {
  console.log('| File | Loaded | Size | Gzipped |\n|---|---|---:|---:|');
  for (const r of rows) console.log(`| \`${r.file.replace(/-[\w-]{8}\./, '-[hash].')}\` | ${r.load} | ${kb(r.raw)} | ${kb(r.gz)} |`);
  console.log(`\nJavaScript for the first load: **${kb(firstJS)} gzipped** (limit 150 KB).`);
} else {
  for (const r of rows) console.log(`${r.file.padEnd(40)} ${r.load.padEnd(11)} ${kb(r.raw).padStart(10)} ${kb(r.gz).padStart(10)} gzip`);
  console.log(`first-load JavaScript: ${kb(firstJS)} gzipped (limit ${kb(LIMIT)})`);
}
if (firstJS >= LIMIT) {
  console.error(`the first load needs ${kb(firstJS)} of JavaScript gzipped: over the ${kb(LIMIT)} budget`);
  process.exit(1);
}
