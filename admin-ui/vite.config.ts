import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The app is served by folio at /admin/ (SPA fallback for deep links such as
// /admin/posts/12). Asset URLs are absolute (/admin/assets/…) rather than
// './': on a deep link a relative ./assets/x.js would resolve to
// /admin/posts/assets/x.js, and a <base href> is ruled out by the CSP
// (base-uri 'none').
export default defineConfig({
  base: '/admin/',
  plugins: [svelte()],
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
