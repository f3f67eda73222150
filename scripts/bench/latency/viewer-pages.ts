/**
 * A few Chromium pages holding all the viewers (viewers.browser.ts). Each page is a document the
 * server itself served (/healthz), emptied: its ws connections come from the server's own origin and
 * address, as the room's do. The bench's script is injected, so that page's CSP is bypassed.
 */
import type { Browser, Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { timestampReader } from '../lib/timestamp-frames.ts';
import { bundlePageScript } from './page-bundle.ts';
import { recordPeerConnections } from './peer-stats.ts';
import type { ViewerTake } from './summary.ts';

const ENTRY = fileURLToPath(new URL('./viewers.browser.ts', import.meta.url));
/** Viewers join in small groups, each once the previous one shows video, as an audience arrives. */
const JOIN_GROUP = 10;
const FIRST_FRAMES = 10;

export interface ViewerPages {
  pages: Page[];
  /** Measurements since the last call: per viewer, and the baseline's latencies. */
  take(): Promise<{ viewers: (ViewerTake & { state: string; fellBack: boolean })[]; baseline: number[] }>;
  /** Closes the pages, their viewers leaving the room. */
  close(): Promise<void>;
}

/** `hlsBase`: where LL-HLS viewers fetch `/hls/…` from (an edge in front of the server); the server itself by default, as in the room page. */
export async function openViewerPages(
  browser: Browser,
  opts: { url: string; showId: string; viewers: number; perPage: number; mode: 'webrtc' | 'hls'; hlsBase?: string }
): Promise<ViewerPages> {
  const script = await bundlePageScript(ENTRY);
  const pages: Page[] = [];
  for (let left = opts.viewers; left > 0; left -= opts.perPage) {
    // A context of its own keeps each page in a window of its own: a page behind another in the same
    // window is hidden, and Chromium presents its video a frame a second.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
    await context.addInitScript(timestampReader);
    await context.addInitScript(recordPeerConnections);
    const page = await context.newPage();
    await page.goto(`${opts.url}/healthz`);
    await page.evaluate(() => {
      document.body.replaceChildren();
      document.body.style.cssText = 'margin:0;display:flex;flex-wrap:wrap';
    });
    await page.addScriptTag({ content: script });
    const count = Math.min(left, opts.perPage);
    for (let joined = 0; joined < count; joined += JOIN_GROUP) {
      await page.evaluate(({ showId, n, mode, hlsBase }) => window.bench.add(showId, n, mode, hlsBase), {
        showId: opts.showId,
        n: Math.min(JOIN_GROUP, count - joined),
        mode: opts.mode,
        hlsBase: opts.hlsBase ?? ''
      });
      await untilDecoding(page, Math.min(count, joined + JOIN_GROUP));
    }
    pages.push(page);
  }
  return {
    pages,
    async take() {
      const parts = await Promise.all(pages.map((p) => p.evaluate(() => window.bench.take())));
      return { viewers: parts.flatMap((p) => p.viewers), baseline: parts.flatMap((p) => p.baseline) };
    },
    async close() {
      for (const page of pages) await page.context().close();
    }
  };
}

async function untilDecoding(page: Page, expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { ready, fellBack, waiting } = await page.evaluate((frames) => window.bench.progress(frames), FIRST_FRAMES);
    if (ready + fellBack >= expected) return;
    if (Date.now() > deadline) throw new Error(`${ready} of ${expected} viewers decoding after 60 s; the others: ${waiting.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
