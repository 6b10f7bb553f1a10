import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * precompress writes name.br and name.gz beside every JavaScript and CSS
 * file of the build, at the highest levels (brotli 11, gzip 9): folio sends
 * them as they are (Content-Encoding, Vary), so a browser gets the smallest
 * copy without the server compressing anything. Both are deterministic (no
 * file names or times in the gzip header), so `ui:check` can compare them.
 */
function precompress(): Plugin {
  return {
    name: 'folio-precompress',
    apply: 'build',
    enforce: 'post',
    // After the files are written: other plugins still change chunks
    // (preload lists) while the bundle is generated.
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(fileName)) continue;
        const raw = readFileSync(join(dir, fileName));
        const br = brotliCompressSync(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        });
        writeFileSync(join(dir, `${fileName}.br`), br);
        writeFileSync(join(dir, `${fileName}.gz`), gzipSync(raw, { level: 9, memLevel: 9 }));
      }
    },
  };
}

// The app is served by folio at /admin/ (SPA fallback for deep links such as
// /admin/posts/12). Asset URLs are absolute (/admin/assets/…) rather than
// './': on a deep link a relative ./assets/x.js would resolve to
// /admin/posts/assets/x.js, and a <base href> is ruled out by the CSP
// (base-uri 'none').
export default defineConfig({
  base: '/admin/',
  plugins: [svelte(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets', // folio serves assets/* as immutable: names carry a content hash
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
