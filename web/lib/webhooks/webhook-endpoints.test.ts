import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError } from '$lib/client-error';
import type { WebhookDeliveryDto, WebhookEndpointDto } from '$shared/webhooks';
import { WebhookEndpoints } from './webhook-endpoints.svelte';

const calls: { route: string; opts: unknown }[] = [];
let reply: (route: string, opts: any) => Promise<unknown>;
vi.mock('$lib/api', () => ({ api: vi.fn((route: string, opts: unknown) => (calls.push({ route, opts }), reply(route, opts))) }));

const endpoint = (id: string): WebhookEndpointDto => ({ id, url: `https://${id}.example/hooks`, events: ['order.paid'], createdAt: 1 });
const delivery = (id: number, status: WebhookDeliveryDto['status'] = 'failed'): WebhookDeliveryDto => ({
  id, eventId: id, type: 'order.paid', showId: 's1', showTitle: 'Spring ceramics', status, attempts: 3, nextAttemptAt: null, lastAttemptAt: 5, lastStatus: 500, lastResponse: 'boom', deliveredAt: null, at: 1
});

describe('the webhook endpoints page state', () => {
  beforeEach(() => {
    calls.length = 0;
    reply = async (route, opts) => {
      if (route === 'POST /webhooks') return { endpoint: { ...endpoint('new'), url: opts.body.url, events: opts.body.events }, secret: 'whsec_c2VjcmV0' };
      if (route === 'GET /webhooks/:id/deliveries') return { deliveries: [delivery(2), delivery(1, 'delivered')] };
      if (route === 'POST /webhooks/:id/deliveries/:deliveryId/replay') return { delivery: { ...delivery(Number(opts.params.deliveryId), 'pending'), attempts: 0, nextAttemptAt: 9 } };
      return { ok: true };
    };
  });

  it('adds a registered endpoint and holds its secret until dismissed', async () => {
    const list = new WebhookEndpoints([endpoint('a')]);
    await list.create('https://shop.example/hooks', ['order.paid', 'lot.sold']);
    expect(calls[0]).toEqual({ route: 'POST /webhooks', opts: { body: { url: 'https://shop.example/hooks', events: ['order.paid', 'lot.sold'] } } });
    expect(list.endpoints.map((e) => e.url)).toEqual(['https://a.example/hooks', 'https://shop.example/hooks']);
    expect(list.created?.secret).toBe('whsec_c2VjcmV0');
    list.dismiss();
    expect(list.created).toBeNull();
  });

  it('keeps the list as it was when registration is refused', async () => {
    const list = new WebhookEndpoints([endpoint('a')]);
    reply = async () => {
      throw new ClientError('bad_request', 'This URL cannot receive webhooks.', { reason: 'invalid_input', field: 'url' });
    };
    await expect(list.create('https://10.0.0.1/x', ['order.paid'])).rejects.toMatchObject({ code: 'bad_request' });
    expect(list.endpoints.map((e) => e.id)).toEqual(['a']);
    expect(list.created).toBeNull();
  });

  it('opens an endpoint’s log, replays a delivery in place, and closes the log when its endpoint is deleted', async () => {
    const list = new WebhookEndpoints([endpoint('a'), endpoint('b')]);
    await list.openLog('a');
    expect(list.logOf).toBe('a');
    expect(list.deliveries.map((d) => d.id)).toEqual([2, 1]);
    expect(list.deliveries.map((d) => list.waitsForEarlier(d))).toEqual([false, false]);
    await list.replay(1);
    // Delivery 1 of the same show is pending again: 2 (a later event) waits for it once it is pending too.
    await list.replay(2);
    expect(list.deliveries.map((d) => list.waitsForEarlier(d))).toEqual([true, false]);
    expect(calls.at(-1)).toEqual({ route: 'POST /webhooks/:id/deliveries/:deliveryId/replay', opts: { params: { id: 'a', deliveryId: '2' } } });
    expect(list.deliveries.map((d) => [d.id, d.status])).toEqual([[2, 'pending'], [1, 'pending']]);
    await list.remove('b');
    expect(list.logOf).toBe('a');
    await list.remove('a');
    expect(list.logOf).toBeNull();
    expect(list.deliveries).toEqual([]);
    expect(list.endpoints).toEqual([]);
  });
});
