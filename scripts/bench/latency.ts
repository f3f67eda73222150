/**
 * Glass-to-glass latency of the live path: a host page publishes a canvas carrying
 * timestamps through the real studio (mediasoup-client → SFU), N buyer pages in the
 * real room decode the timestamps from pixels.
 *   npm run bench:latency -- --viewers 20 --seconds 15
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config.ts';
import { numericArgs, percentile, resourceMeter, startServer } from './lib/server-process.ts';
import { installTimestampCamera, installTimestampReader } from './lib/timestamp-frames.ts';

const args = numericArgs({ viewers: 10, seconds: 15 });

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const latencies = (page: Page) => page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies.splice(0));

async function main(): Promise<void> {
  console.log(`latency bench: ${args.viewers} viewers, ${args.seconds} s measured`);
  const server = await startServer({ DEMO_SHOW: 'false' });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
    const hostContext = await browser.newContext();
    await hostContext.addInitScript(installTimestampCamera);
    const signin = await hostContext.request.post(`${server.url}/api/auth/signin`, { data: server.admin });
    if (!signin.ok()) throw new Error(`sign-in failed: ${signin.status()}`);
    const created = await hostContext.request.post(`${server.url}/api/shows`, {
      data: { title: 'Latency bench', scheduledAt: Date.now() }
    });
    const showId = (await created.json()).show.id as string;

    const host = await hostContext.newPage();
    await host.goto(`${server.url}/studio/${showId}`);
    await host.getByTestId('go-live').click();
    await host.getByTestId('studio-status').filter({ hasText: /live/i }).waitFor();
    console.log('host is live');

    const viewers: { context: BrowserContext; page: Page }[] = [];
    for (let i = 0; i < args.viewers; i++) {
      const context = await browser.newContext();
      await context.addInitScript(installTimestampReader);
      const page = await context.newPage();
      await page.goto(`${server.url}/room/${showId}`);
      viewers.push({ context, page });
    }
    await Promise.all(
      viewers.map(({ page }) =>
        waitFor(async () => (await page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies.length)) > 30, 60_000, 'decoded frames')
      )
    );
    console.log(`${viewers.length} viewers decoding; warming up`);
    await new Promise((r) => setTimeout(r, 3000));
    for (const { page } of viewers) await latencies(page);

    const meter = resourceMeter(server.process.pid!);
    await new Promise((r) => setTimeout(r, args.seconds * 1000));
    const usage = meter.stop();

    const all: number[] = [];
    for (const [i, { page }] of viewers.entries()) {
      const l = (await latencies(page)).sort((a, b) => a - b);
      all.push(...l);
      console.log(`viewer ${String(i + 1).padStart(2)}: ${l.length} frames, p50 ${percentile(l, 50)} ms, p95 ${percentile(l, 95)} ms`);
    }
    all.sort((a, b) => a - b);
    const result = {
      viewers: args.viewers,
      frames: all.length,
      p50_ms: percentile(all, 50),
      p95_ms: percentile(all, 95),
      max_ms: all[all.length - 1] ?? NaN,
      server_cpu_cores: Number(usage.cpuCores.toFixed(2)),
      server_rss_mb: usage.rssMb
    };
    console.log(`glass-to-glass over ${all.length} frames: p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms, max ${result.max_ms} ms`);
    console.log(`server (node + mediasoup workers): ${result.server_cpu_cores} cores, peak RSS ${result.server_rss_mb} MB`);
    console.log(JSON.stringify(result));
  } finally {
    await browser?.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
