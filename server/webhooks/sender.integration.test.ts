import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { WebhookSender } from './sender.ts';

const secret = `whsec_${Buffer.from('a test secret of thirty-two bytes').toString('base64')}`;
const message = { id: 'msg_1', body: JSON.stringify({ type: 'show.live', timestamp: new Date().toISOString(), data: { show: { id: 's1' } } }) };

describe('the webhook sender against a real receiver on loopback', () => {
  let receiver: WebhookReceiver;
  const allowed = new WebhookSender({ allowPrivateAddresses: true, allowHttp: true }, { maxSockets: 2 });
  const strict = new WebhookSender({ allowPrivateAddresses: false, allowHttp: true }, { maxSockets: 2 });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    allowed.close();
    strict.close();
    await receiver.close();
  });

  it('signs per Standard Webhooks: the receiver verifies with the package, and a 2xx is a success', async () => {
    receiver.answer = () => ({ status: 202, body: 'queued' });
    expect(await allowed.send(receiver.url(), secret, message)).toEqual({ ok: true, status: 202, response: 'queued' });
    const hit = receiver.received.at(-1)!;
    expect(new Webhook(secret).verify(hit.raw, hit.headers)).toEqual(JSON.parse(message.body));
    expect(hit.headers).toMatchObject({ 'webhook-id': 'msg_1', 'content-type': 'application/json' });
    expect(Number(hit.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
  });

  it('logs a failure’s status and the start of its answer', async () => {
    receiver.answer = () => ({ status: 503, body: 'z'.repeat(100_000) });
    const result = await allowed.send(receiver.url(), secret, message);
    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(result.response).toBe(`${'z'.repeat(1024)}…`);
    receiver.answer = () => ({ status: 200 });
  });

  it('gives up on a receiver that does not answer in time, or trickles its answer', async () => {
    const impatient = new WebhookSender({ allowPrivateAddresses: true, allowHttp: true }, { maxSockets: 2, timeoutMs: 300 });
    try {
      receiver.answer = () => 'hang';
      const started = Date.now();
      expect(await impatient.send(receiver.url(), secret, message)).toEqual({ ok: false, status: null, response: 'error: no answer within 0.3 s' });
      expect(Date.now() - started).toBeLessThan(2000);
      receiver.answer = () => 'trickle';
      expect(await impatient.send(receiver.url(), secret, message)).toMatchObject({ ok: false, status: null, response: 'error: no answer within 0.3 s' });
    } finally {
      impatient.close();
      receiver.answer = () => ({ status: 200 });
    }
  });

  it('refuses, without connecting, a name that resolves to loopback and literal private or mapped addresses', async () => {
    const before = receiver.received.length;
    const port = receiver.port;
    for (const url of [`http://localhost:${port}/hooks`, `http://127.0.0.1:${port}/hooks`, `http://[::ffff:127.0.0.1]:${port}/hooks`, `http://[::1]:${port}/hooks`, `http://10.1.2.3:${port}/hooks`]) {
      const result = await strict.send(url, secret, message);
      expect(result, url).toMatchObject({ ok: false, status: null });
      expect(result.response, url).toMatch(/^refused: .*not a public address/);
    }
    expect(receiver.received.length).toBe(before);
    // The same receiver is reached once the operator allows private addresses.
    expect((await allowed.send(`http://localhost:${port}/hooks`, secret, message)).ok).toBe(true);
  });
});
