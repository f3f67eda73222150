import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../app.ts';
import { send } from '../testing/commerce.ts';
import { actorWithRole } from '../testing/role-sessions.ts';
import { lastingDatabase, testConfig } from '../testing/test-config.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';

describe('webhook deliveries outlive the server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-webhook-restart-'));
  const config = testConfig({ ...lastingDatabase(dir), SHUTDOWN_GRACE_SECONDS: '0', WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOKS_ALLOW_HTTP: 'true' });
  const retry = { firstDelayMs: 200, maxDelayMs: 400, giveUpAfterMs: 60_000 };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('delivers, after a restart, what the stopped server had not, in order and signed', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.answer = () => ({ status: 503, body: 'down for maintenance' });
    const first = await startApp(config, { webHandler: false, webhookRetry: retry });
    const host = await actorWithRole(first, 'host@restart.test', 'host');
    const api = (base: string, method: string, p: string, body: unknown = {}) => send(method, `${base}/api${p}`, body, host.cookie);
    const { json } = await api(first.url, 'POST', '/webhooks', { url: receiver.url(), events: ['show.live', 'show.ended'] });
    const secret = json.secret as string;
    const showId = (await api(first.url, 'POST', '/shows', { title: 'Restart night', scheduledAt: Date.now() })).json.show.id as string;
    await api(first.url, 'POST', `/shows/${showId}/live`);
    // The first event was tried and refused; the second is written just before the server stops.
    await receiver.until(() => receiver.received.length >= 1);
    expect((await api(first.url, 'POST', `/shows/${showId}/end`)).status).toBe(200);
    await first.close();
    const whileDown = receiver.received.length;

    receiver.answer = () => ({ status: 200 });
    const second = await startApp(config, { webHandler: false, webhookRetry: retry });
    try {
      await receiver.until(() => receiver.verified(secret).filter((b) => b.type === 'show.ended').length === 1);
      // What arrived after the restart: the refused event, then the one the first server never sent.
      const bodies = receiver.verified(secret).slice(whileDown);
      expect(bodies.map((b) => [b.type, (b.data as { show: unknown }).show])).toEqual([
        ['show.live', expect.objectContaining({ id: showId })],
        ['show.ended', expect.objectContaining({ id: showId, endedAt: expect.any(Number) })]
      ]);
      // Every attempt of the first event, before and after the restart, carried its one webhook-id.
      const live = receiver.received.filter((r) => r.raw.includes('"show.live"'));
      expect(live.length).toBeGreaterThanOrEqual(2);
      expect(new Set(live.map((r) => r.headers['webhook-id'])).size).toBe(1);
    } finally {
      await second.close();
      await receiver.close();
    }
  }, 60_000);
});
