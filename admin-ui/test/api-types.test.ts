// The API client is typed from api/openapi.yaml: src/api/schema.d.ts is
// generated from it (and must be current), and every API path the app calls
// must be in the spec with that method.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain .mjs script without types
import { generate, outPath, specPath } from '../scripts/gen-api-types.mjs';

const spec = readFileSync(specPath, 'utf8');

describe('generated API types', () => {
  it('src/api/schema.d.ts is what api/openapi.yaml generates (run `npm run gen:api`)', () => {
    expect(readFileSync(outPath, 'utf8')).toBe(generate(spec));
  });

  it('an array of a union is an array of the union, not a union with an array', () => {
    const out: string = generate(`
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {type: object, properties: {a: {type: string}}}
    B: {type: object, properties: {b: {type: string}}}
    List:
      type: object
      properties:
        items: {type: array, items: {anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}}
        maybe: {type: array, items: {type: [string, 'null']}}
        words: {type: array, items: {enum: ['a|b', 'c"|d']}}
        both: {type: array, items: {allOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}}
        one: {type: array, items: {$ref: '#/components/schemas/A'}}
`);
    expect(out).toContain('items?: (components["schemas"]["A"] | components["schemas"]["B"])[];');
    expect(out).toContain('maybe?: (string | null)[];');
    expect(out).toContain('words?: ("a|b" | "c\\"|d")[];');
    expect(out).toContain('both?: (components["schemas"]["A"] & components["schemas"]["B"])[];');
    expect(out).toContain('one?: components["schemas"]["A"][];');
  });
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

describe('every call the app makes is in the spec', () => {
  const doc = parse(spec) as { paths: Record<string, Record<string, unknown>> };
  const src = resolve(__dirname, '../src');
  const calls: Array<[string, string]> = [];
  for (const f of files(src)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\.(?:call|answer)\(\s*'(get|post|put|patch|delete)',\s*'([^']+)'/g)) calls.push([m[1], m[2]]);
    for (const m of text.matchAll(/fetch\('(\/api\/[^']+)'/g)) calls.push(['post', m[1]]);
  }
  // The entry helpers build paths from a segment: check them for both types.
  const entries = readFileSync(join(src, 'api/entries.ts'), 'utf8');
  for (const m of entries.matchAll(/this\.raw\('(\w+)', (`[^`]+`|this\.base\(k\))/g)) {
    const tpl = m[2] === 'this.base(k)' ? '`${this.base(k)}`' : m[2];
    for (const seg of ['posts', 'case-studies']) {
      const acts = tpl.includes('${act}') ? ['submit', 'publish', 'schedule', 'unschedule', 'unpublish', 'archive'] : [''];
      for (const act of acts) {
        calls.push([m[1], tpl.slice(1, -1).replace('${this.base(k)}', `/api/v1/admin/${seg}`).replace('${act}', act)]);
      }
    }
  }

  it('finds the calls', () => {
    expect(calls.length).toBeGreaterThan(30);
  });

  it.each(calls)('%s %s', (method, path) => {
    expect(doc.paths[path], `path ${path} is not in api/openapi.yaml`).toBeDefined();
    expect(doc.paths[path][method], `${method.toUpperCase()} ${path} is not in api/openapi.yaml`).toBeDefined();
  });
});
