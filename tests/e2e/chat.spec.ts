import { test, expect } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { newBuyer, newShow, signIn } from './helpers.ts';

test('buyers chat, a banned word is blocked, markup stays text, a moderator bans a buyer, the dashboard moves', async ({ browser }) => {
  const hostCtx = await browser.newContext();
  expect((await hostCtx.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const show = await newShow(hostCtx, 'Chat e2e');
  await hostCtx.request.post(`/api/shows/${show.id}/live`);

  const ann = await newBuyer(browser, 'Ann');
  const ben = await newBuyer(browser, 'Ben');
  for (const b of [ann, ben]) await b.page.goto(`/room/${show.id}`);

  const say = async (page: typeof ann.page, text: string) => {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
  };
  await say(ann.page, 'Hi! Does it come in blue?');
  await expect(ben.page.getByTestId('chat-text').filter({ hasText: 'Does it come in blue?' })).toBeVisible();
  await say(ben.page, 'Following!');
  await expect(ann.page.getByTestId('chat-text').filter({ hasText: 'Following!' })).toBeVisible();

  await say(ben.page, 'what a f.u.c.k.i.n.g scam');
  await expect(ben.page.getByTestId('chat-error')).toHaveText(/not allowed/);
  await expect(ann.page.getByTestId('chat-text').filter({ hasText: 'scam' })).toHaveCount(0);

  const xss = '<img src=x onerror="window.__xss=1"><b>bold</b>';
  await say(ann.page, xss);
  const shown = ben.page.getByTestId('chat-text').filter({ hasText: '<img' });
  await expect(shown).toHaveText(xss);
  expect(await shown.locator('img, b').count()).toBe(0);
  expect(await ben.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // Hearts from a buyer reach everyone as a burst and the host's dashboard counts them.
  for (let i = 0; i < 3; i++) await ann.page.getByTestId('heart-button').click();
  await expect(ben.page.getByTestId('hearts-total')).toHaveText('3');

  const host = await hostCtx.newPage();
  await signIn(host);
  await host.goto(`/studio/${show.id}/stats`);
  await expect(host.getByTestId('stat-hearts')).toContainText('3');
  await expect(host.getByTestId('stat-viewers')).toContainText('2');

  // The admin moderates from the room: bans Ben, who can no longer chat.
  await host.goto(`/room/${show.id}`);
  host.on('dialog', (d) => void d.accept('spam'));
  const bensMessage = host.getByTestId('chat-message').filter({ hasText: 'Following!' });
  await bensMessage.hover();
  await bensMessage.getByTestId('chat-ban').click();
  await say(ben.page, 'am I still here?');
  await expect(ben.page.getByTestId('chat-error')).toHaveText(/banned/);

  await host.goto(`/studio/${show.id}/stats`);
  await expect(host.getByTestId('stat-messagesPerMinute')).not.toContainText(/^0$/);
  for (const c of [hostCtx, ann.ctx, ben.ctx]) await c.close();
});
