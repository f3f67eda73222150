import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';

export async function signIn(page: Page, creds = E2E_ADMIN): Promise<void> {
  await page.goto('/signin');
  // The button turns on once the page's script runs; typing before that could be lost to hydration.
  await expect(page.getByRole('button', { name: /sign in/i })).toBeEnabled();
  await page.getByLabel(/email/i).fill(creds.email);
  await page.getByLabel(/password/i).fill(creds.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

/** Keeps every RTCPeerConnection the page creates reachable, so tests can read its stats. */
/** A show scheduled for now, created over the API by a signed-in host (a page or its context). */
export async function newShow(host: { request: APIRequestContext }, title: string): Promise<{ id: string }> {
  return (await (await host.request.post('/api/shows', { data: { title, scheduledAt: Date.now() } })).json()).show;
}

/** The host opens the studio and goes live with the fake camera. */
export async function goLive(host: Page, showId: string): Promise<void> {
  await host.goto(`/studio/${showId}`);
  await host.getByTestId('go-live').click();
  await expect(host.getByTestId('studio-status')).toHaveText(/you are live/i);
}

export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const all: RTCPeerConnection[] = [];
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = all;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        all.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

/** Inbound RTP totals across the page's peer connections. */
export async function inboundStats(page: Page): Promise<{ audioPackets: number; framesDecoded: number; frameWidth: number }> {
  return page.evaluate(async () => {
    const out = { audioPackets: 0, framesDecoded: 0, frameWidth: 0 };
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs ?? []) {
      if (pc.signalingState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'audio') out.audioPackets += s.packetsReceived ?? 0;
        if (s.kind === 'video') {
          out.framesDecoded += s.framesDecoded ?? 0;
          out.frameWidth = Math.max(out.frameWidth, s.frameWidth ?? 0);
        }
      });
    }
    return out;
  });
}

/** Asserts the page is decoding live video (frames keep growing, size > 0) and receiving audio. */
export async function expectLiveMedia(page: Page): Promise<void> {
  await expect.poll(async () => (await inboundStats(page)).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
  const first = await inboundStats(page);
  await expect.poll(async () => (await inboundStats(page)).framesDecoded).toBeGreaterThan(first.framesDecoded + 10);
  const later = await inboundStats(page);
  expect(later.frameWidth).toBeGreaterThan(0);
  await expect.poll(async () => (await inboundStats(page)).audioPackets).toBeGreaterThan(later.audioPackets);
  const size = await page.getByTestId('room-video').evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight]);
  expect(size[0]).toBeGreaterThan(0);
  expect(size[1]).toBeGreaterThan(0);
}

/** Keeps the page's WebSockets reachable, so a test can cut the connection. */
export async function recordWebSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const all: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = all;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        all.push(this);
      }
    } as typeof WebSocket;
  });
}

/** A signed-up buyer in a fresh browser context. */
export async function newBuyer(browser: Browser, name: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext();
  const res = await ctx.request.post('/api/auth/signup', {
    data: { email: `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@buyers.test`, password: 'buyer-password-1', displayName: name }
  });
  expect(res.status()).toBe(201);
  return { ctx, page: await ctx.newPage() };
}

/** Fills the payment page's shipping address and card (a test card number). */
export async function fillCheckout(page: Page, name: string, street: string, card: string): Promise<void> {
  await page.getByLabel(/full name/i).fill(name);
  await page.getByLabel(/^address/i).fill(street);
  await page.getByLabel(/city/i).fill('Seoul');
  await page.getByLabel(/postal code/i).fill('04524');
  await page.getByLabel(/country/i).fill('KR');
  await page.getByLabel(/card number/i).fill(card);
  await page.getByLabel(/expiry/i).fill('12/40');
  await page.getByLabel(/security code/i).fill('123');
}
