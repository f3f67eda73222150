import { test, expect } from '@playwright/test';
import { newBuyer, newShow, signIn } from './helpers.ts';

test('a buyer translates the chat and the host’s notice into Spanish, with the original a tap away', async ({ browser }) => {
  test.setTimeout(120_000);
  const host = await (await browser.newContext()).newPage();
  await signIn(host);
  const show = await newShow(host, 'Translated chat e2e');
  expect((await host.request.post(`/api/shows/${show.id}/live`)).ok()).toBe(true);
  expect((await host.request.put(`/api/shows/${show.id}/notice`, { data: { text: 'Free shipping for one hour' } })).ok()).toBe(true);

  const buyer = await newBuyer(browser, 'Lucia');
  await buyer.page.goto(`/room/${show.id}`);
  await host.goto(`/room/${show.id}`);
  // The control appears once the page's script has read what the server offers: the form is live by then.
  await expect(host.getByTestId('chat-translate-toggle')).toBeVisible();
  await host.getByTestId('chat-input').fill('Welcome everyone! This red bag is on sale today.');
  await host.getByTestId('chat-send').click();
  await expect(host.getByTestId('chat-text').filter({ hasText: 'red bag' })).toBeVisible();
  const message = buyer.page.getByTestId('chat-message').filter({ hasText: 'red bag' });
  await expect(message).toBeVisible();

  // The show is in English: Spanish is what this server offers (Apertium's pair), picked by keyboard.
  const language = buyer.page.getByTestId('chat-translate-language');
  await expect(language).toHaveValue('es');
  await expect(language.locator('option')).toHaveText(['Spanish']);
  await buyer.page.getByTestId('chat-translate-toggle').focus();
  await buyer.page.keyboard.press('Enter');
  await expect(buyer.page.getByTestId('chat-translate-toggle')).toHaveAttribute('aria-pressed', 'true');

  const text = buyer.page.getByTestId('chat-text').first();
  await expect(text).toHaveText(/^Bienvenido.*bolso rojo.*hoy/);
  await expect(text).toHaveAttribute('lang', 'es');
  await expect(buyer.page.getByTestId('notice')).toContainText(/hora/);

  // The original is one tap away, and back again.
  await buyer.page.getByTestId('chat-original-toggle').first().click();
  await expect(text).toHaveText('Welcome everyone! This red bag is on sale today.');
  await buyer.page.getByTestId('chat-original-toggle').first().click();
  await expect(text).toHaveText(/^Bienvenido/);
  await buyer.page.getByTestId('notice-original-toggle').click();
  await expect(buyer.page.getByTestId('notice')).toContainText('Free shipping for one hour');

  // New messages arrive translated.
  await host.getByTestId('chat-input').fill('I have a cat');
  await host.getByTestId('chat-send').click();
  await expect(buyer.page.getByTestId('chat-text').filter({ hasText: 'Tengo un gato' })).toBeVisible();

  // Turned off, everything reads as written.
  await buyer.page.getByTestId('chat-translate-toggle').click();
  await expect(buyer.page.getByTestId('chat-text').filter({ hasText: 'I have a cat' })).toBeVisible();
  await expect(buyer.page.getByTestId('chat-original-toggle')).toHaveCount(0);
  await host.context().close();
  await buyer.ctx.close();
});
