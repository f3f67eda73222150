import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';

const roots = '{server,shared,web,scripts}';
// Tests that start mediasoup workers, FFmpeg or a server, or fuzz the whole protocol, are named for it
// and run only in the integration lane, so `npm run test:unit` needs neither workers nor FFmpeg.
const integration = [`${roots}/**/*.integration.test.ts`, `${roots}/**/*.fuzz.test.ts`, `${roots}/**/*.matrix.test.ts`];

export default defineConfig({
  plugins: [sveltekit()],
  build: {
    // The on-device moderation model's weights (about 3.5 MB) are one chunk by nature; only the
    // studio's moderation worker loads it, on demand.
    chunkSizeWarningLimit: 4000,
    // SvelteKit's compile step dominates every build; the bundler's timing table would only repeat that in setup's output.
    rolldownOptions: { checks: { bundlerTimings: false } }
  },
  // tfjs starts its wasm thread workers from the source text of a function in its bundle, which
  // must not name anything outside itself; the minifier's renaming and folding break that
  // (`typeof _scriptDir` becomes a bare reference). So the worker bundle only loses whitespace.
  worker: { rolldownOptions: { output: { minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } } } } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'silent' },
    // HAWKER_TEST_DATABASE=postgres (`npm run test:integration:pg`): one scratch PostgreSQL server for the run,
    // on which testConfig() gives each app a database of its own.
    globalSetup: process.env.HAWKER_TEST_DATABASE === 'postgres' ? ['server/testing/postgres-setup.ts'] : [],
    // Node loads the built web app as `npm start` does; through vitest's module runner its svelte
    // imports would resolve to the development build and every page would answer 500.
    server: { deps: { external: [/\/build\//] } },
    projects: [
      { extends: true, test: { name: 'unit', include: [`${roots}/**/*.test.ts`], exclude: [...configDefaults.exclude, ...integration] } },
      { extends: true, test: { name: 'integration', include: integration } }
    ]
  }
});
