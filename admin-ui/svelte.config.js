import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Component CSS goes into the built .css file (the CSP allows no inline
    // style without the nonce).
    css: 'external',
  },
};
