import { expect, test, chromium, type Response } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../playwright.config.ts';
import { synthesizeSpeech } from '../../server/testing/speech.ts';
import { goLive, newBuyer, newShow, signIn } from './helpers.ts';

/** The caption controls of the room, the studio's caption setting and the replay's transcript search. */

test('a viewer’s captions choice (on, size) is kept on this device across reloads, by keyboard', async ({ browser, page }) => {
  await signIn(page);
  const captioned = await newShow(page, 'Captions on');
  const silent = await newShow(page, 'Captions off');
  const put = await page.request.put(`/api/shows/${captioned.id}/captions`, { data: { enabled: true } });
  expect(put.status()).toBe(200);

  const { ctx, page: buyer } = await newBuyer(browser, 'Mina');
  // A show without captions offers no button, once the page has read the show's settings.
  const settingsRead = buyer.waitForResponse((r) => r.url().endsWith(`/api/shows/${silent.id}/captions`) && r.request().method() === 'GET');
  await buyer.goto(`/room/${silent.id}`);
  await expect(buyer.getByTestId('room-waiting')).toBeVisible();
  expect((await settingsRead).status()).toBe(200);
  await expect(buyer.getByTestId('captions-toggle')).toHaveCount(0);

  await buyer.goto(`/room/${captioned.id}`);
  // The name starts with the "CC" the button shows, so it can be spoken to as well as read.
  const cc = buyer.getByRole('button', { name: 'CC Captions', exact: true });
  await expect(cc).toHaveAttribute('aria-pressed', 'false');
  await expect(buyer.getByTestId('captions-size')).toHaveCount(0);
  await cc.focus();
  await buyer.keyboard.press('Enter');
  await expect(cc).toHaveAttribute('aria-pressed', 'true');
  await buyer.getByRole('button', { name: 'Large captions' }).focus();
  await buyer.keyboard.press('Space');
  await expect(buyer.getByRole('button', { name: 'Large captions' })).toHaveAttribute('aria-pressed', 'true');

  await buyer.reload();
  await expect(cc).toHaveAttribute('aria-pressed', 'true');
  await expect(buyer.getByRole('button', { name: 'Large captions' })).toHaveAttribute('aria-pressed', 'true');
  await expect(buyer.getByRole('button', { name: 'Medium captions' })).toHaveAttribute('aria-pressed', 'false');
  await cc.click();
  await buyer.reload();
  await expect(cc).toHaveAttribute('aria-pressed', 'false');
  // The choice belongs to the device, not the account: another browser starts with captions off.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(`/room/${captioned.id}`);
  await expect(fresh.getByTestId('captions-toggle')).toHaveAttribute('aria-pressed', 'false');
  await other.close();
  await ctx.close();
});

test('the host turns captions on in the studio, the choice is saved, and the studio says Korean and Chinese need the endpoint', async ({ page, context }) => {
  await signIn(page);
  const show = await newShow(page, 'Studio captions');
  await page.goto(`/studio/${show.id}`);
  await page.getByTestId('tab-captions').click();
  const enabled = page.getByTestId('captions-enabled');
  await expect(enabled).not.toBeChecked();
  // A refused change snaps back to what the server holds.
  const captionsUrl = `/api/shows/${show.id}/captions`;
  await page.route(`**${captionsUrl}`, (route) => route.fulfill({ status: 429, json: { error: { code: 'rate_limited', message: 'Too many requests.' } } }), { times: 2 });
  const isPut = (r: Response) => r.url().endsWith(captionsUrl) && r.request().method() === 'PUT';
  let refused = page.waitForResponse(isPut);
  await enabled.click();
  expect((await refused).status()).toBe(429);
  await expect(enabled).not.toBeChecked();
  await expect(page.getByTestId('studio-captions').getByRole('alert')).toBeVisible();
  refused = page.waitForResponse(isPut);
  await page.getByTestId('captions-language').selectOption('ko');
  expect((await refused).status()).toBe(429);
  await expect(page.getByTestId('captions-language')).toHaveValue('en');
  const saved = page.waitForResponse(isPut);
  await enabled.check();
  expect((await saved).status()).toBe(200);
  await expect(page.getByTestId('captions-language')).toHaveValue('en');
  // The e2e server runs the embedded engine only: English.
  await expect(page.getByTestId('captions-endpoint-note')).toContainText('Korean and Chinese');
  expect(await (await page.request.get(`/api/shows/${show.id}/captions`)).json()).toMatchObject({ enabled: true, language: 'en', provider: 'pocketsphinx', languages: ['en'] });

  await context.addCookies([{ name: 'hawker_lang', value: 'ko', url: test.info().project.use.baseURL! }]);
  await page.reload();
  await page.getByTestId('tab-captions').click();
  await expect(page.getByTestId('captions-enabled')).toBeChecked();
  await expect(page.getByTestId('captions-endpoint-note')).toContainText('한국어');
  await expect(page.getByTestId('captions-endpoint-note')).toContainText('중국어');
  await context.addCookies([{ name: 'hawker_lang', value: 'zh', url: test.info().project.use.baseURL! }]);
  await page.reload();
  await page.getByTestId('tab-captions').click();
  await expect(page.getByTestId('captions-endpoint-note')).toContainText('韩语');
  // Off again, from the studio.
  const off = page.waitForResponse(isPut);
  await page.getByTestId('captions-enabled').uncheck();
  expect((await off).status()).toBe(200);
  expect((await (await page.request.get(`/api/shows/${show.id}/captions`)).json()).enabled).toBe(false);
});

test('a host’s spoken words reach the room as captions and the replay’s transcript finds them and jumps there', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);

  // The host's microphone speaks a known sentence (flite), after a pause, over and over.
  const speech = synthesizeSpeech([{ text: 'This blue coffee cup is made of glass', voice: 'rms' }], { leadMs: 3000, tailMs: 2000 });
  const hostBrowser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, `--use-file-for-fake-audio-capture=${speech.wavPath}`] });
  const host = await (await hostBrowser.newContext({ baseURL: testInfo.project.use.baseURL })).newPage();
  await signIn(host);
  const show = await newShow(host, 'Coffee cups, captioned');
  await host.request.put(`/api/shows/${show.id}/captions`, { data: { enabled: true } });
  await goLive(host, show.id);

  // A buyer over WebRTC sees the words over the video once captions are on.
  const { ctx, page: buyer } = await newBuyer(browser, 'Joon');
  await buyer.goto(`/room/${show.id}`);
  await buyer.getByTestId('captions-toggle').click();
  await expect(buyer.getByTestId('captions-overlay')).toHaveText(/\w/, { timeout: 30_000 });
  // Over LL-HLS they come from the stream's subtitle rendition, drawn in the same overlay, not by the browser.
  const hlsBuyer = await ctx.newPage();
  await hlsBuyer.goto(`/room/${show.id}?mode=hls`);
  await expect(hlsBuyer.getByTestId('captions-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(hlsBuyer.getByTestId('captions-overlay')).toHaveText(/\w/, { timeout: 60_000 });
  expect(await hlsBuyer.getByTestId('hls-video').evaluate((v: HTMLVideoElement) => Array.from(v.textTracks).filter((t) => t.kind === 'subtitles').map((t) => t.mode))).toEqual(['hidden']);
  await hlsBuyer.close();
  // The host's studio previews the same captions.
  await host.getByTestId('tab-captions').click();
  await expect(host.getByTestId('captions-preview')).toHaveText(/\w/, { timeout: 30_000 });

  // Lines said before the recording began all sit at its start: wait until some lie well into it.
  await expect
    .poll(async () => ((await (await host.request.get(`/api/shows/${show.id}/transcript`)).json()) as { cues: { offsetMs: number }[] }).cues.filter((c) => c.offsetMs > 6_000).length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(2);
  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-show').click();
  await hostBrowser.close();

  await expect.poll(async () => (await buyer.request.get(`/hls/${show.id}/vod/master.m3u8`)).status(), { timeout: 20_000 }).toBe(200);
  await buyer.goto(`/room/${show.id}`);
  const video = buyer.getByTestId('replay-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  const panel = buyer.getByTestId('replay-transcript');
  await expect(panel.getByTestId('transcript-cue').first()).toBeVisible();
  // Search for the word the recogniser heard most often (this spec is about the page; captions.spec measures accuracy).
  const word = mostSaid((await (await buyer.request.get(`/api/shows/${show.id}/transcript`)).json()).cues);
  const { cues } = await (await buyer.request.get(`/api/shows/${show.id}/transcript?q=${encodeURIComponent(word)}`)).json();
  expect(cues.length).toBeGreaterThanOrEqual(2);
  await panel.getByRole('searchbox', { name: 'Search what was said' }).fill(word);
  await expect(panel.getByTestId('transcript-status')).toHaveText(`${cues.length} lines`);
  const hits = panel.getByTestId('transcript-cue');
  await expect(hits).toHaveCount(cues.length);
  await expect(hits.first().locator('mark').first()).toHaveText(new RegExp(word, 'i'));
  // The last time the word was said lies seconds into the replay: jump there by keyboard.
  const last = cues.length - 1;
  const target = cues[last].offsetMs / 1000;
  expect(target).toBeGreaterThan(3);
  await buyer.keyboard.press('Tab');
  await expect(hits.first()).toBeFocused();
  for (let i = 1; i <= last; i++) await buyer.keyboard.press('Tab');
  await expect(hits.nth(last)).toBeFocused();
  await buyer.keyboard.press('Enter');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(target - 1);
  expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(target + 3);
  await ctx.close();
});

/** The word (three letters or more) found in the most cues; "coffee" when it ties for the most. */
function mostSaid(cues: { text: string }[]): string {
  const counts = new Map<string, number>();
  for (const c of cues) for (const w of new Set(c.text.toLowerCase().match(/[a-z]{3,}/g) ?? [])) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || Number(b[0] === 'coffee') - Number(a[0] === 'coffee'));
  return ranked[0]?.[0] ?? 'coffee';
}
