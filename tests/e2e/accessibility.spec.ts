import { test, expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { goLive, newBuyer, newShow, signIn } from './helpers.ts';

/** WCAG 2.1 A and AA, and axe's best practices: serious and critical findings fail, lesser ones are printed. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

/** Runs axe on the page as it stands, at each size given; every serious or critical finding fails the test (softly, so one run lists them all). */
async function audit(page: Page, name: string, sizes = [LAPTOP, PHONE]): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const where = `${name} at ${size.width}×${size.height}`;
    const line = (v: (typeof violations)[number]) =>
      `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n').slice(1).join(' ').trim()})`).join(' | ')}`;
    const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of violations.filter((v) => !blocking.includes(v))) console.log(`[axe] ${where}: ${line(v)}`);
    expect.soft(blocking.map(line), where).toEqual([]);
  }
}

/** Draws the running lot's countdown as in its last ten seconds (its red), whatever time is left when axe runs. */
async function lastSeconds(page: Page): Promise<void> {
  const countdown = page.getByTestId('countdown').first();
  await countdown.evaluate((el) => el.classList.add('urgent'));
  await expect(countdown).toHaveClass(/urgent/);
}

/** A real image for a product (the server re-encodes what it is given), drawn by the browser. */
async function pngFrom(page: Page): Promise<Buffer> {
  const url = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = c.height = 96;
    const g = c.getContext('2d')!;
    g.fillStyle = '#2563eb';
    g.fillRect(0, 0, 96, 96);
    g.fillStyle = '#fbbf24';
    g.fillRect(24, 24, 48, 48);
    return c.toDataURL('image/png');
  });
  return Buffer.from(url.split(',')[1]!, 'base64');
}

test('the home page has no serious or critical accessibility violations, signed out or in', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await expect(page.getByTestId('live-shows')).toBeAttached();
  // A screen reader's list of headings starts with what the shop is.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/live/i);
  await audit(page, 'home (guest)');
  await signIn(page);
  await page.goto('/');
  await audit(page, 'home (signed in)');
});

test('a live room, its checkout and the studio have no serious or critical violations', async ({ browser }) => {
  // axe takes 10–30 s a page on a busy machine.
  test.setTimeout(600_000);
  const hostCtx = await browser.newContext({ viewport: LAPTOP });
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Accessible show');
  const product = (await (await host.request.post('/api/products', { data: { title: 'Linen shirt', currency: 'USD', price: 5000, stock: 5 } })).json()).product;
  expect((await host.request.post(`/api/products/${product.id}/images`, { data: await pngFrom(host), headers: { 'content-type': 'image/png' } })).status()).toBe(201);
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  await goLive(host, show.id);

  const ann = await newBuyer(browser, 'Ann');
  const ben = await newBuyer(browser, 'Ben');
  await ann.page.setViewportSize(LAPTOP);
  for (const b of [ann, ben]) await b.page.goto(`/room/${show.id}`);
  await expect(ann.page.getByTestId('room-live')).toBeVisible({ timeout: 20_000 });

  // Everything the room can show at once: a pinned product with its image, a notice, a poll, a running lot and chat.
  await host.request.put(`/api/shows/${show.id}/pins`, { data: { productIds: [product.id] } });
  await host.request.put(`/api/shows/${show.id}/notice`, { data: { text: 'Free shipping tonight' } });
  await host.request.post(`/api/shows/${show.id}/polls`, { data: { question: 'Which colour next?', options: ['Red', 'Blue'], durationSeconds: 300 } });
  const lot = (await (await host.request.post(`/api/shows/${show.id}/lots`, { data: { title: 'Vintage lamp', currency: 'USD', startingPrice: 1000, durationSeconds: 120 } })).json()).lot;
  expect((await host.request.post(`/api/lots/${lot.id}/start`)).ok()).toBe(true);
  await expect(ann.page.getByTestId('bid-button')).toBeVisible();
  await ben.page.getByTestId('bid-button').click();
  await ben.page.getByTestId('chat-input').fill('Does it come in blue?');
  await ben.page.getByTestId('chat-send').click();
  await ann.page.getByTestId('chat-input').fill('Love the lamp');
  await ann.page.getByTestId('chat-send').click();
  await expect(ann.page.getByTestId('chat-message')).toHaveCount(2);
  await expect(ann.page.getByTestId('notice')).toBeVisible();
  await expect(ann.page.getByTestId('poll')).toBeVisible();
  await expect(ann.page.getByTestId('product-card').getByRole('img', { name: 'Linen shirt' })).toBeVisible();
  await lastSeconds(ann.page);
  await audit(ann.page, 'live room (buyer)');

  // Buying opens the payment over the stream.
  await ann.page.setViewportSize(LAPTOP);
  await ann.page.getByTestId('product-card').getByTestId('add-to-cart').click();
  await ann.page.getByTestId('product-card').getByTestId('buy-now').click();
  await expect(ann.page.getByTestId('checkout-sheet')).toBeVisible();
  await expect(ann.page.getByTestId('order-total')).toBeVisible();
  await audit(ann.page, 'checkout sheet in the room');
  await ann.page.getByTestId('sheet-close').click();

  // The cart page, then the order it makes and that order's payment page.
  await ann.page.setViewportSize(LAPTOP);
  await ann.page.goto('/cart');
  await expect(ann.page.getByTestId('cart-line')).toHaveCount(1);
  await audit(ann.page, 'cart', [LAPTOP]);
  await ann.page.setViewportSize(LAPTOP);
  await ann.page.getByTestId('cart-checkout').click();
  await expect(ann.page).toHaveURL(/\/orders\/[^/]+\/pay/);
  await expect(ann.page.getByTestId('pay')).toBeEnabled();
  await audit(ann.page, 'payment page');
  await ann.page.goto('/orders');
  await audit(ann.page, 'orders', [LAPTOP]);

  await expect(host.getByTestId('chat-message')).toHaveCount(2);
  await lastSeconds(host);
  await audit(host, 'studio (host)');
  for (const c of [hostCtx, ann.ctx, ben.ctx]) await c.close();
});

test('an ended show’s stats and its replay have no serious or critical violations', async ({ browser }) => {
  test.setTimeout(300_000);
  const hostCtx = await browser.newContext({ viewport: LAPTOP });
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Accessible replay');
  const product = (await (await host.request.post('/api/products', { data: { title: 'Wool beanie', currency: 'USD', price: 2500, stock: 5 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  await goLive(host, show.id);
  await host.waitForTimeout(4000);
  await host.request.put(`/api/shows/${show.id}/pins`, { data: { productIds: [product.id] } });
  await host.waitForTimeout(3000);
  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-show').click();
  await expect.poll(async () => (await (await host.request.get(`/api/shows/${show.id}`)).json()).show.status).toBe('ended');

  await host.goto(`/studio/${show.id}/stats`);
  await expect(host.getByTestId('stat-viewers')).toBeVisible();
  // Each chart's numbers are also a table for screen readers.
  await expect(host.getByTestId('chart-table')).toHaveCount(2);
  await expect(host.getByTestId('chart-table').first().getByRole('columnheader')).toHaveText(['Time', 'Viewers now', 'Hearts', 'Chat / min']);
  await audit(host, 'stats', [LAPTOP]);

  const viewer = await hostCtx.newPage();
  await expect.poll(async () => (await viewer.request.get(`/hls/${show.id}/vod/master.m3u8`)).status(), { timeout: 30_000 }).toBe(200);
  await viewer.goto(`/room/${show.id}`);
  await expect(viewer.getByTestId('replay-video')).toBeVisible();
  await expect(viewer.getByTestId('timeline-entry').first()).toBeVisible();
  await audit(viewer, 'replay');
  await hostCtx.close();
});

/**
 * Everything said through the page's live regions, in order, as `polite: …` or `assertive: …`: `thisLoad()` since
 * the page last loaded, `afterReloads()` on every load but the first. Kept in the tab's sessionStorage, which a
 * reload keeps.
 */
async function recordAnnouncements(page: Page): Promise<{ thisLoad: () => Promise<string[]>; afterReloads: () => Promise<string[]> }> {
  await page.addInitScript(() => {
    if (window !== window.top || !location.protocol.startsWith('http')) return;
    const load = Number(sessionStorage.getItem('said-loads') ?? '0') + 1;
    sessionStorage.setItem('said-loads', String(load));
    const said = JSON.parse(sessionStorage.getItem('said') ?? '[]') as { load: number; text: string }[];
    new MutationObserver((records) => {
      const before = said.length;
      for (const r of records) {
        const region = (r.target as Element).closest?.('[aria-live]');
        if (!region) continue;
        for (const n of r.addedNodes) if (n.textContent?.trim()) said.push({ load, text: `${region.getAttribute('aria-live')}: ${n.textContent.trim()}` });
      }
      if (said.length > before) sessionStorage.setItem('said', JSON.stringify(said));
    }).observe(document, { childList: true, subtree: true });
  });
  const read = (which: 'this' | 'reloads') =>
    page.evaluate((which) => {
      const load = Number(sessionStorage.getItem('said-loads'));
      const said = JSON.parse(sessionStorage.getItem('said') ?? '[]') as { load: number; text: string }[];
      return said.filter((s) => (which === 'this' ? s.load === load : s.load > 1)).map((s) => s.text);
    }, which);
  return { thisLoad: () => read('this'), afterReloads: () => read('reloads') };
}

/** Presses Tab from the top of the page until `last` has focus; returns each stop's test id (or text), checking each shows a focus ring on screen. */
async function tabStops(page: Page, last: string): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const stops: string[] = [];
  for (let i = 0; i < 80 && stops.at(-1) !== last; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        name: el.dataset.testid ?? el.textContent?.trim().slice(0, 30) ?? el.tagName,
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        onScreen: box.width > 4 && box.height > 4 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth
      };
    });
    expect.soft(stop.ring, `focus ring on ${stop.name}`).toBe(true);
    expect.soft(stop.onScreen, `${stop.name} in view when focused`).toBe(true);
    stops.push(stop.name);
  }
  return stops;
}

test('bids, chat and the last seconds are announced; buy and bid are reached and used by keyboard on laptop and phone', async ({ browser }) => {
  test.setTimeout(120_000);
  const hostCtx = await browser.newContext();
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Announced show');
  await host.request.post(`/api/shows/${show.id}/live`);
  const product = (await (await host.request.post('/api/products', { data: { title: 'Wool scarf', currency: 'USD', price: 3000, stock: 5 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  await host.request.put(`/api/shows/${show.id}/pins`, { data: { productIds: [product.id] } });
  const newLot = async (title: string, durationSeconds: number) => {
    const lot = (await (await host.request.post(`/api/shows/${show.id}/lots`, { data: { title, currency: 'USD', startingPrice: 1000, durationSeconds, counterBidSeconds: 3 } })).json()).lot;
    expect((await host.request.post(`/api/lots/${lot.id}/start`)).ok()).toBe(true);
    return lot;
  };

  const ann = await newBuyer(browser, 'Ann');
  const ben = await newBuyer(browser, 'Ben');
  const said = await recordAnnouncements(ann.page);
  for (const b of [ann, ben]) await b.page.goto(`/room/${show.id}`);
  const long = await newLot('Wool hat', 300);
  await ben.page.getByTestId('chat-input').fill('Is it wool?');
  await ben.page.getByTestId('chat-send').click();
  await expect(ann.page.getByTestId('chat-message')).toHaveCount(1);

  for (const size of [LAPTOP, PHONE]) {
    await ann.page.setViewportSize(size);
    await ann.page.reload();
    await expect(ann.page.getByTestId('bid-button')).toBeEnabled();
    await expect(ann.page.getByTestId('chat-message')).toHaveCount(1);
    // Buy, then bid, then chat, in the order they appear; the chat's tools show while focused.
    const stops = await tabStops(ann.page, 'chat-input');
    expect(stops).toContain('buy-now');
    expect(stops.indexOf('buy-now')).toBeLessThan(stops.indexOf('bid-button'));
    expect(stops.indexOf('bid-button')).toBeLessThan(stops.indexOf('chat-input'));
    expect(stops).toContain('Reply');

    // The payment sheet holds focus while open and gives it back to "Buy now" when closed.
    await ann.page.getByTestId('buy-now').focus();
    await ann.page.keyboard.press('Enter');
    await expect(ann.page.getByTestId('checkout-sheet')).toBeVisible();
    await expect.poll(() => ann.page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    for (let i = 0; i < 12; i++) await ann.page.keyboard.press('Tab');
    expect(await ann.page.evaluate(() => document.activeElement === document.body || !!document.activeElement?.closest('dialog'))).toBe(true);
    await ann.page.keyboard.press('Escape');
    await expect(ann.page.getByTestId('checkout-sheet')).toBeHidden();
    await expect(ann.page.getByTestId('buy-now')).toBeFocused();
  }
  // A bid by keyboard.
  await ann.page.getByTestId('bid-button').focus();
  await ann.page.keyboard.press('Enter');
  await expect(ann.page.getByTestId('auction-leader')).toHaveText(/highest bidder/i);
  // The history loaded on each reload was not read out: no reload said the one chat message.
  expect((await said.afterReloads()).filter((s) => s.includes('Is it wool?'))).toEqual([]);
  await host.request.post(`/api/lots/${long.id}/cancel`);
  await expect(ann.page.getByTestId('auction-result')).toBeVisible();

  // A short lot: a rival's bid and chat are said politely; the clock at 10 s and 3-2-1, and the sale, cut in.
  await ann.page.reload();
  await expect(ann.page.getByTestId('chat-message')).toHaveCount(1);
  await newLot('Silk tie', 20);
  await expect(ben.page.getByTestId('bid-button')).toBeEnabled();
  await ben.page.getByTestId('bid-button').click();
  await ben.page.getByTestId('chat-input').fill('Mine!');
  await ben.page.getByTestId('chat-send').click();
  await ann.page.getByTestId('chat-input').fill('Good luck');
  await ann.page.getByTestId('chat-send').click();
  // The lot closes 20 s after it started, a few seconds before this wait began; the rest is room for a loaded machine.
  await expect(ann.page.getByTestId('auction-result')).toHaveText(/sold for \$10\.00/i, { timeout: 35_000 });
  await expect.poll(said.thisLoad).toContain('assertive: Sold for $10.00');
  expect(await said.thisLoad()).toEqual(['polite: Ben bid $10.00', 'polite: Ben: Mine!', 'assertive: 10 seconds left', 'assertive: 3', 'assertive: 2', 'assertive: 1', 'assertive: Sold for $10.00']);
  for (const c of [hostCtx, ann.ctx, ben.ctx]) await c.close();
});
