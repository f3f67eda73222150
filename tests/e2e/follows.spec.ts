import { test, expect, type Locator } from '@playwright/test';
import { goLive, newBuyer, newShow, signIn } from './helpers.ts';

const PHONE = { width: 390, height: 844 };

/** Whether two controls overlap on screen. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [p, q] = [(await a.boundingBox())!, (await b.boundingBox())!];
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

test('a phone buyer follows the shop from the room and the host’s live feed says so', async ({ browser }) => {
  const hostCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Follows e2e');
  await goLive(host, show.id);
  const studioCount = host.getByTestId('follower-count');
  const before = Number((await studioCount.textContent())!.match(/\d+/)![0]);

  // Signed out, Follow asks the buyer to sign in and brings them back to the room.
  const guestCtx = await browser.newContext();
  const guest = await guestCtx.newPage();
  await guest.goto(`/room/${show.id}`);
  await guest.getByTestId('follow-button').click();
  await expect(guest).toHaveURL(new RegExp(`/signin\\?next=${encodeURIComponent(`/room/${show.id}`)}`));
  await guestCtx.close();

  const { ctx, page } = await newBuyer(browser, 'Fay');
  await page.setViewportSize(PHONE);
  await page.goto(`/room/${show.id}`);
  await expect(page.getByTestId('room-live')).toBeVisible();
  const follow = page.getByTestId('follow-button');
  await expect(follow).toHaveText(/^follow$/i);
  await expect(page.getByTestId('follower-count')).toHaveText(`${before} followers`);
  // On the vertical player the button lies on the screen, clear of the chat and the hearts.
  const box = (await follow.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  expect(await overlap(follow, page.getByTestId('chat-input'))).toBe(false);

  await follow.click();
  await expect(follow).toHaveText(/^following$/i);
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('follower-count')).toHaveText(before === 0 ? '1 follower' : `${before + 1} followers`);
  await expect(host.getByTestId('feed-entry').filter({ hasText: 'Fay followed you' })).toHaveAttribute('data-kind', 'followed');
  await expect(studioCount).toHaveText(before === 0 ? '1 follower' : `${before + 1} followers`);

  // The follow is kept; unfollowing lowers the host's count again.
  await page.reload();
  await expect(follow).toHaveText(/^following$/i);
  await follow.click();
  await expect(follow).toHaveText(/^follow$/i);
  await expect(studioCount).toHaveText(`${before} followers`);
  await ctx.close();
  await hostCtx.close();
});
