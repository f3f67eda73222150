/**
 * Bundles a bench page script from the project's own web code (realtime client, Viewer, HLS
 * player, mediasoup-client, hls.js) into one classic script a page can run: the bench's viewers
 * use the same signalling, codecs and player settings as the room, without a room page each.
 */
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, transform, type Plugin } from 'esbuild';
import { compileModule } from 'svelte/compiler';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** `.svelte.ts` modules use runes: strip the types, then let Svelte compile them as the app's build does. */
const svelteModules: Plugin = {
  name: 'svelte-modules',
  setup(b) {
    b.onLoad({ filter: /\.svelte\.ts$/ }, async ({ path }) => {
      const js = await transform(await fs.readFile(path, 'utf8'), { loader: 'ts', format: 'esm' });
      const compiled = compileModule(js.code, { filename: path, generate: 'client', dev: false });
      return { contents: compiled.js.code, loader: 'js' };
    });
  }
};

export async function bundlePageScript(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
    alias: { $lib: `${root}web/lib`, $shared: `${root}shared` },
    // The room's modules import these by extension-less path, as SvelteKit resolves them.
    resolveExtensions: ['.svelte.ts', '.ts', '.js'],
    conditions: ['browser'],
    plugins: [svelteModules]
  });
  return out.outputFiles[0]!.text;
}
