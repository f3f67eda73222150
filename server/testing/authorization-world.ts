import type { RunningApp } from '../app.ts';
import { goodCard, send, testAddress } from './commerce.ts';
import { actorWithRole, type Actor } from './role-sessions.ts';
import { TestWsClient } from './ws-client.ts';

/** The roles every API route and ws method is checked against, relative to one show. */
export const ROLES = ['anonymous', 'buyer', 'otherHost', 'moderator', 'owner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An Opus track as a browser would offer it: enough for the SFU to accept a producer. */
export const OPUS_PARAMETERS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'authz' }
};

/** What a browser that decodes Opus can receive. */
export const OPUS_CAPABILITIES = { codecs: [{ kind: 'audio' as const, mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 }] };

/**
 * One show of `owner` (live, one product in its lineup) and whatever a case needs in
 * it, made through the API as its users would. Each case gets its own world, so one
 * case's writes (a show ended, a lot started) never change what the next one sees.
 */
export class World {
  readonly app: RunningApp;
  readonly actors: Record<Exclude<Role, 'anonymous'>, Actor>;
  /** A buyer the moderation cases act on (never the host). */
  readonly target: Actor;
  readonly showId: string;
  readonly productId: string;
  readonly variantId: string;
  readonly seq: number;
  readonly #sockets: TestWsClient[] = [];
  #n = 0;

  static async create(app: RunningApp, actors: World['actors'], target: Actor, seq: number): Promise<World> {
    const owner = actors.owner.cookie;
    const showId = (await ok(send('POST', `${app.url}/api/shows`, { title: `Matrix ${seq}`, scheduledAt: Date.now() }, owner))).show.id;
    await ok(send('POST', `${app.url}/api/shows/${showId}/live`, {}, owner));
    const product = (await ok(send('POST', `${app.url}/api/products`, { title: `Item ${seq}`, currency: 'USD', price: 5000, stock: 50 }, owner))).product;
    await ok(send('PUT', `${app.url}/api/shows/${showId}/lineup`, { productIds: [product.id] }, owner));
    return new World(app, actors, target, showId, product.id, product.variants[0].id, seq);
  }

  private constructor(app: RunningApp, actors: World['actors'], target: Actor, showId: string, productId: string, variantId: string, seq: number) {
    this.app = app;
    this.actors = actors;
    this.target = target;
    this.showId = showId;
    this.productId = productId;
    this.variantId = variantId;
    this.seq = seq;
  }

  /** A request as the show's host, which must succeed. */
  asOwner(method: string, path: string, body: unknown = {}): Promise<any> {
    return ok(send(method, `${this.app.url}/api${path}`, body, this.actors.owner.cookie));
  }

  /** A value unique to this world, for keys, codes and emails. */
  unique(prefix: string): string {
    return `${prefix}-${this.seq}-${++this.#n}`;
  }

  /** A new buyer nobody else uses (the shared ones may be banned or rate-limited by earlier cases). */
  async newBuyer(): Promise<Actor> {
    return actorWithRole(this.app, `${this.unique('account')}@matrix.test`, 'buyer');
  }

  async scheduledShow(): Promise<string> {
    return (await this.asOwner('POST', '/shows', { title: 'Later', scheduledAt: Date.now() + 3_600_000 })).show.id;
  }

  async queuedLot(): Promise<string> {
    return (await this.asOwner('POST', `/shows/${this.showId}/lots`, { title: 'Lot', startingPrice: 1000, durationSeconds: 3600 })).lot.id;
  }

  async runningLot(): Promise<string> {
    const lotId = await this.queuedLot();
    await this.asOwner('POST', `/lots/${lotId}/start`);
    return lotId;
  }

  /** A lot sold over a runner-up's bid, whose winner then declined to pay. */
  async lotWithLapsedWinner(): Promise<string> {
    const [runnerUp, winner] = [await this.newBuyer(), await this.newBuyer()];
    const lotId = (await this.asOwner('POST', `/shows/${this.showId}/lots`, { title: 'Sold lot', startingPrice: 1000, durationSeconds: 10 })).lot.id;
    // Started in the past so it closes at once, with the two bids placed inside its window.
    const startedAt = Date.now() - 60_000;
    await this.app.auctions.start(this.actors.owner.user, lotId, startedAt);
    await this.app.auctions.bid(runnerUp.user, lotId, undefined, undefined, startedAt + 1000);
    await this.app.auctions.bid(winner.user, lotId, undefined, undefined, startedAt + 2000);
    for (let i = 0; (await this.app.orders.forLot(lotId)).length === 0; i++) {
      if (i > 100) throw new Error('the lot did not close');
      await new Promise((r) => setTimeout(r, 10));
    }
    const won = (await this.app.orders.forLot(lotId))[0]!;
    await ok(send('POST', `${this.app.url}/api/orders/${won.id}/cancel`, {}, winner.cookie));
    return lotId;
  }

  async poll(): Promise<string> {
    return (await this.asOwner('POST', `/shows/${this.showId}/polls`, { question: 'Which one?', options: ['this', 'that'] })).overlay.poll.id;
  }

  async coupon(): Promise<string> {
    return (await this.asOwner('POST', `/shows/${this.showId}/coupons`, { code: this.unique('C').slice(0, 20), discountKind: 'percent', discountValue: 10, maxClaims: 100 })).overlay.coupon.id;
  }

  /** An order of the buyer's in this show, paid if asked. */
  async order(paid: boolean): Promise<string> {
    const buyer = this.actors.buyer.cookie;
    const order = (await ok(send('POST', `${this.app.url}/api/buy`, { showId: this.showId, variantId: this.variantId, idempotencyKey: this.unique('order-key') }, buyer))).order;
    if (paid) await ok(send('POST', `${this.app.url}/api/orders/${order.id}/pay`, { shippingAddress: testAddress, card: goodCard }, buyer));
    return order.id;
  }

  /** A chat message a buyer wrote in this show. */
  async chatMessage(): Promise<number> {
    const socket = await this.socket(await this.newBuyer());
    return (await socket.request('chatSend', { showId: this.showId, text: 'hello there' })).message.id;
  }

  /** The host publishing an audio track from the studio; returns the studio's transport and track. */
  async publishing(): Promise<{ transportId: string; producerId: string }> {
    const studio = await this.socket(this.actors.owner);
    await studio.request('join', { showId: this.showId, role: 'host' });
    const transportId = (await studio.request('createTransport', { direction: 'send' })).id;
    return { transportId, producerId: (await studio.request('produce', { transportId, kind: 'audio', rtpParameters: OPUS_PARAMETERS })).producerId };
  }

  /** A buyer watching the published show; returns the id of their consumer of its track. */
  async watcherConsumer(): Promise<string> {
    await this.publishing();
    return consumerOf(await this.socket(await this.newBuyer()), this.showId);
  }

  /** One of the owner's webhook endpoints (reused across worlds: a host has only so many), to a port that refuses. */
  /** A new API token of the owner's; returns its id. */
  async apiToken(): Promise<string> {
    return (await this.asOwner('POST', '/api-tokens', { name: this.unique('token'), scopes: ['read'] })).apiToken.id;
  }

  async webhookEndpoint(): Promise<string> {
    const existing = (await this.#ownerGet('/webhooks')).endpoints[0];
    if (existing) return existing.id;
    return (await this.asOwner('POST', '/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['show.ended'] })).endpoint.id;
  }

  /** A delivery of this world's show ending to the owner's endpoint; the show is ended. */
  async webhookDelivery(): Promise<{ endpointId: string; deliveryId: number }> {
    const endpointId = await this.webhookEndpoint();
    await this.asOwner('POST', `/shows/${this.showId}/end`);
    for (let i = 0; i < 100; i++) {
      const delivery = (await this.#ownerGet(`/webhooks/${endpointId}/deliveries`)).deliveries.find((d: { showId: string }) => d.showId === this.showId);
      if (delivery) return { endpointId, deliveryId: delivery.id };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the show’s end reached no webhook delivery');
  }

  /** A GET as the show's host (which carries no body), which must succeed. */
  async #ownerGet(path: string): Promise<any> {
    const res = await fetch(`${this.app.url}/api${path}`, { headers: { cookie: this.actors.owner.cookie } });
    return ok(Promise.resolve({ status: res.status, json: await res.json() }));
  }

  /** A ws connection as `who` (anonymous without one); closed with the world. */
  async socket(who: Actor | null): Promise<TestWsClient> {
    const client = await TestWsClient.connect(`${this.app.url.replace('http', 'ws')}/ws`, who ? { cookie: who.cookie } : {});
    this.#sockets.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.#sockets.map((s) => new Promise<void>((resolve) => {
      if (s.socket.readyState === s.socket.CLOSED) return resolve();
      s.socket.once('close', () => resolve());
      s.close();
    })));
  }
}

/** The consumer a socket gets of the show's track once it watches. */
export async function consumerOf(client: TestWsClient, showId: string): Promise<string> {
  await client.request('join', { showId, role: 'viewer' });
  await client.request('createTransport', { direction: 'recv' });
  const { consumers } = await client.request('consume', { rtpCapabilities: OPUS_CAPABILITIES });
  if (!consumers[0]) throw new Error('no consumer of the host’s track');
  return consumers[0].id;
}

async function ok(pending: Promise<{ status: number; json: any }>): Promise<any> {
  const res = await pending;
  if (res.status >= 300) throw new Error(`world setup failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}
