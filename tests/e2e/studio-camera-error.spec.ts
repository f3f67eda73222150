import { test, expect } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { newShow } from './helpers.ts';

test('a camera the browser refuses is explained in the host’s language, without the browser’s English', async ({ browser }) => {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'hawker_lang', value: 'ko', url: test.info().project.use.baseURL! }]);
  // As when the host clicked "Block" on the browser's camera prompt.
  await ctx.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  expect((await ctx.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const show = await newShow(ctx, 'Blocked camera');
  const page = await ctx.newPage();
  await page.goto(`/studio/${show.id}`);
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('카메라와 마이크 접근이 거부되었습니다. 브라우저의 사이트 설정에서 허용한 뒤 새로고침하세요.');
  await expect(page.getByTestId('go-live')).toBeDisabled();
  await ctx.close();
});

test('a broadcast that cannot start is explained in the host’s language too', async ({ browser }) => {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'hawker_lang', value: 'ko', url: test.info().project.use.baseURL! }]);
  // A browser whose WebRTC is switched off: the camera opens, sending it fails inside the media library.
  await ctx.addInitScript(() => {
    window.RTCPeerConnection = function () {
      throw new Error('RTCPeerConnection is disabled');
    } as never;
  });
  expect((await ctx.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const show = await newShow(ctx, 'No WebRTC');
  const page = await ctx.newPage();
  await page.goto(`/studio/${show.id}`);
  await page.getByTestId('go-live').click();
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  expect(await alert.innerText()).not.toMatch(/[A-Za-z]/);
  await ctx.close();
});
