import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // The express server in server/ mounts build/handler.js; SvelteKit never listens itself.
    adapter: adapter({ out: 'build' }),
    // SvelteKit source lives in web/ (routes, lib, hooks, app.html derive from it).
    files: { src: 'web', assets: 'web/static' },
    alias: { $shared: 'shared' },
    // The ws upgrade and /api check Origin themselves; this covers SvelteKit form posts.
    csrf: { trustedOrigins: [] }
  }
};
