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
    csrf: { trustedOrigins: [] },
    // Scripts run only from this origin or with the page's nonce (SvelteKit adds it to its own).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        // TensorFlow.js compiles its wasm backend in the studio's moderation worker.
        'script-src': ['self', 'wasm-unsafe-eval'],
        // The moderation worker is a file of ours; hls.js starts its transmuxing worker from a blob.
        'worker-src': ['self', 'blob:'],
        // 'self' covers the same host's ws:/wss: (/ws) as well as /api and /hls.
        'connect-src': ['self'],
        // hls.js plays through Media Source Extensions, which hands the video a blob: URL; for a subtitle
        // rendition it adds a <track> whose src is an empty `data:,WEBVTT` (the cues come from our /hls).
        'media-src': ['self', 'blob:', 'data:'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        // Svelte writes style attributes; styles cannot run code, scripts are what the nonce guards.
        'style-src': ['self', 'unsafe-inline'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    }
  }
};
