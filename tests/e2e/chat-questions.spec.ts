import { test, expect } from '@playwright/test';
import { goLive, newBuyer, newShow, signIn } from './helpers.ts';

test('a buyer asks, the host pins the question from the studio, and the room shows it as the current question', async ({ browser }) => {
  test.setTimeout(90_000);
  const hostCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Questions e2e');
  await goLive(host, show.id);

  const ann = await newBuyer(browser, 'Ann');
  await ann.page.goto(`/room/${show.id}`);
  // Chat goes over the room's socket: wait until she is in the room before she speaks.
  await expect(host.getByTestId('studio-viewers')).toHaveText(/1/);
  const say = async (text: string, marked = false) => {
    await ann.page.getByTestId('chat-input').fill(text);
    // The toggle beside Send is a button named for what it does, and says whether it is on.
    const ask = ann.page.getByRole('button', { name: 'Ask the host a question' });
    if (marked) {
      await ask.click();
      await expect(ask).toHaveAttribute('aria-pressed', 'true');
    }
    await ann.page.getByTestId('chat-send').click();
    await expect(host.getByTestId('chat-text').filter({ hasText: text })).toBeVisible();
    await expect(ask).toHaveAttribute('aria-pressed', 'false');
  };
  await say('Does it come in blue?');
  await say('Love the colour!');
  await say('Tell me the fabric', true);

  // The questions view lists open questions only, newest first.
  await host.getByTestId('chat-view-questions').click();
  await expect(host.getByTestId('chat-question')).toHaveText([/Tell me the fabric/, /Does it come in blue\?/]);
  await host.getByTestId('chat-question').filter({ hasText: 'blue' }).getByTestId('chat-pin-question').click();

  for (const page of [host, ann.page]) await expect(page.getByTestId('chat-pinned')).toContainText(/Question.*Ann.*Does it come in blue\?/);
  await expect(host.getByTestId('chat-question')).toHaveText([/Tell me the fabric/]);
  // Buyers see the question pinned but have no questions view of their own.
  await expect(ann.page.getByTestId('chat-view-questions')).toHaveCount(0);
  // The host answers questions rather than asks them.
  await expect(host.getByTestId('chat-ask')).toHaveCount(0);

  await host.getByTestId('chat-unpin').click();
  await expect(ann.page.getByTestId('chat-pinned')).toHaveCount(0);
  await expect(host.getByTestId('chat-question')).toHaveCount(2);
  for (const c of [hostCtx, ann.ctx]) await c.close();
});
