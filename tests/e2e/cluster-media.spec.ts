import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { startTestCluster, type TestCluster } from '../../server/testing/cluster.ts';
import { startScratchNginx, type ScratchNginx } from '../../server/testing/nginx.ts';
import { expectLiveMedia, goLive, inboundStats, newShow, recordPeerConnections, signIn } from './helpers.ts';

/**
 * One show across three nodes: the host publishes into node 1, a buyer watches on node 2 and one on
 * node 3, each node piping the show in from node 1. Buyer 2 reaches node 2 through a load balancer that
 * falls back to node 3, as a front nginx does when a node dies.
 */
test.describe.configure({ timeout: 240_000 });

let cluster: TestCluster;
let front: ScratchNginx;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startTestCluster({ nodes: 3, env: { ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password } });
  const [, second, third] = cluster.nodes.map((n) => n.url.replace('http://', ''));
  front = await startScratchNginx({ upstreams: [second!], backups: [third!] });
});
test.afterAll(async () => {
  await front?.stop();
  await cluster?.stop();
});

async function buyerAt(browser: Browser, url: string, showId: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: url });
  await recordPeerConnections(ctx);
  const page = await ctx.newPage();
  await page.goto(`/room/${showId}`);
  await expect(page.getByTestId('room-live')).toBeVisible();
  return { ctx, page };
}

const framesDecoded = async (page: Page) => (await inboundStats(page)).framesDecoded;

test('a host on node 1, buyers on nodes 2 and 3: both play, ride a camera switch, and node 2’s buyer survives node 2’s death', async ({ browser }) => {
  const [node1, node2] = cluster.nodes;
  const hostCtx = await browser.newContext({ baseURL: node1!.url });
  const host = await hostCtx.newPage();
  await signIn(host);
  const { id: showId } = await newShow(host, `Across nodes ${Date.now()}`);
  await goLive(host, showId);

  const onTwo = await buyerAt(browser, front.url, showId);
  const onThree = await buyerAt(browser, cluster.nodes[2]!.url, showId);
  await expectLiveMedia(onTwo.page);
  await expectLiveMedia(onThree.page);
  // Each of them is served by a node other than the host's, from a pipe.
  expect(node2!.output().some((l) => l.includes('show piped in from its origin'))).toBe(true);
  expect(cluster.nodes[2]!.output().some((l) => l.includes('show piped in from its origin'))).toBe(true);

  // Switching camera swaps the track in place: both keep decoding without rejoining.
  await host.getByTestId('camera-select').dispatchEvent('change');
  for (const { page } of [onTwo, onThree]) {
    const before = await framesDecoded(page);
    await expect.poll(() => framesDecoded(page)).toBeGreaterThan(before + 10);
  }

  // Node 2 dies whole (its media workers with it); its buyer's socket comes back through the balancer on node 3.
  const pcsBefore = await onTwo.page.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length);
  const killedAt = Date.now();
  process.kill(-node2!.pid, 'SIGKILL');
  await expect.poll(() => onTwo.page.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length), { timeout: 10_000 }).toBeGreaterThan(pcsBefore);
  const after = await framesDecoded(onTwo.page);
  await expect.poll(() => framesDecoded(onTwo.page), { timeout: Math.max(1000, 10_000 - (Date.now() - killedAt)) }).toBeGreaterThan(after + 10);
  console.log(`node 2's buyer played again through node 3 ${Date.now() - killedAt} ms after node 2 died`);
  await expect(onTwo.page.getByTestId('room-live')).toBeVisible();

  for (const { ctx } of [onTwo, onThree]) await ctx.close();
  await hostCtx.close();
});
