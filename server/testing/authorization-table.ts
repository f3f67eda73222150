import type { ApiRoute } from '#shared/api.ts';
import type { RequestData, RequestMethod } from '#shared/protocol.ts';
import { consumerOf, OPUS_CAPABILITIES, OPUS_PARAMETERS, ROLES, type Role, type World } from './authorization-world.ts';
import type { TestWsClient } from './ws-client.ts';

/**
 * Who may call what: every REST route under /api and every ws request, with the
 * roles allowed (relative to the world's show). Every other role must be refused
 * and must change nothing. A route or method missing here fails the matrix test:
 * add a row when you add one.
 */

const everyone = ROLES;
const signedIn = ROLES.filter((r) => r !== 'anonymous');
const hosts: readonly Role[] = ['otherHost', 'owner', 'admin'];
const runsShow: readonly Role[] = ['owner', 'admin'];
const moderates: readonly Role[] = ['moderator', 'owner', 'admin'];
/** Anyone signed in but the seller: a host does not buy from or bid on their own show. */
const notSeller = signedIn.filter((r) => r !== 'owner');
/** The shop a role follows: the world's owner's, or another host's for the owner. */
const shopFor = (w: World, role: Role) => (role === 'owner' ? w.actors.otherHost : w.actors.owner).user.id;

export interface HttpCall {
  path: string;
  body?: unknown;
  /** Sent as-is (an upload) instead of a JSON body. */
  raw?: { bytes: Buffer; type: string };
}

export interface HttpRule {
  allowed: readonly Role[];
  /** Prepares what the call needs in the world and describes the call. */
  call: (w: World, role: Role) => Promise<HttpCall> | HttpCall;
}

/** A 1×1 PNG, the smallest image every upload route accepts. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const png = { bytes: PNG_1X1, type: 'image/png' };

export const httpRules: Record<ApiRoute, HttpRule> = {
  // Accounts
  'POST /auth/signup': { allowed: everyone, call: (w) => ({ path: '/auth/signup', body: { email: `${w.unique('new')}@matrix.test`, password: 'a-long-password', displayName: 'New' } }) },
  'POST /auth/signin': { allowed: everyone, call: (w) => ({ path: '/auth/signin', body: { email: w.target.user.email, password: 'role-password-1' } }) },
  'POST /auth/signout': { allowed: everyone, call: () => ({ path: '/auth/signout' }) },
  'GET /me': { allowed: everyone, call: () => ({ path: '/me' }) },
  'PUT /users/role': { allowed: ['admin'], call: async (w) => ({ path: '/users/role', body: { email: (await w.newBuyer()).user.email, role: 'host' } }) },

  // Shows
  'GET /shows': { allowed: everyone, call: () => ({ path: '/shows' }) },
  'GET /shows/:id': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}` }) },
  'POST /shows': { allowed: hosts, call: () => ({ path: '/shows', body: { title: 'Another', scheduledAt: Date.now() } }) },
  'PATCH /shows/:id': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}`, body: { title: 'Renamed' } }) },
  'POST /shows/:id/duplicate': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/duplicate` }) },
  'DELETE /shows/:id': { allowed: runsShow, call: async (w) => ({ path: `/shows/${await w.scheduledShow()}` }) },
  'POST /shows/:id/live': { allowed: runsShow, call: async (w) => ({ path: `/shows/${await w.scheduledShow()}/live` }) },
  'POST /shows/:id/end': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/end` }) },
  'PUT /shows/:id/cover': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/cover`, raw: png }) },

  // Overlay
  'GET /shows/:id/overlay': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/overlay` }) },
  'GET /shows/:id/timeline': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/timeline` }) },
  'PUT /shows/:id/notice': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/notice`, body: { text: 'Free shipping' } }) },
  'PUT /shows/:id/pins': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/pins`, body: { productIds: [w.productId] } }) },
  'POST /shows/:id/drops': {
    allowed: runsShow,
    call: (w) => ({ path: `/shows/${w.showId}/drops`, body: { productId: w.productId, countdownSeconds: 3, sale: { discountKind: 'percent', discountValue: 50, durationSeconds: 60, quantity: 5 } } })
  },
  'POST /shows/:id/coupons': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/coupons`, body: { code: 'HALF-OFF', discountKind: 'percent', discountValue: 50, maxClaims: 10 } }) },
  'POST /shows/:id/polls': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/polls`, body: { question: 'Red?', options: ['yes', 'no'] } }) },

  // Auctions
  'GET /shows/:id/lots': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/lots` }) },
  'POST /shows/:id/lots': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/lots`, body: { title: 'Lot', startingPrice: 1000 } }) },
  'POST /lots/:id/start': { allowed: runsShow, call: async (w) => ({ path: `/lots/${await w.queuedLot()}/start` }) },
  'POST /lots/:id/cancel': { allowed: runsShow, call: async (w) => ({ path: `/lots/${await w.runningLot()}/cancel` }) },
  'POST /lots/:id/offer-runner-up': { allowed: runsShow, call: async (w) => ({ path: `/lots/${await w.lotWithLapsedWinner()}/offer-runner-up` }) },

  // Catalog and lineup
  'GET /products': { allowed: signedIn, call: () => ({ path: '/products' }) },
  'POST /products': { allowed: hosts, call: () => ({ path: '/products', body: { title: 'Mug', price: 1200, stock: 3 } }) },
  'PATCH /products/:id': { allowed: runsShow, call: (w) => ({ path: `/products/${w.productId}`, body: { price: 1 } }) },
  'POST /products/:id/duplicate': { allowed: runsShow, call: (w) => ({ path: `/products/${w.productId}/duplicate` }) },
  'DELETE /products/:id': { allowed: runsShow, call: (w) => ({ path: `/products/${w.productId}` }) },
  'PUT /variants/:id/stock': { allowed: runsShow, call: (w) => ({ path: `/variants/${w.variantId}/stock`, body: { stock: 0 } }) },
  'POST /products/:id/images': { allowed: runsShow, call: (w) => ({ path: `/products/${w.productId}/images`, raw: png }) },
  'GET /shows/:id/lineup': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/lineup` }) },
  'PUT /shows/:id/lineup': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/lineup`, body: { productIds: [] } }) },
  'GET /seller-terms': { allowed: hosts, call: () => ({ path: '/seller-terms' }) },
  'PUT /seller-terms': { allowed: hosts, call: () => ({ path: '/seller-terms', body: { currency: 'USD', shippingPerOrder: 500, shippingPerExtraItem: 100, taxRateBp: 1000 } }) },
  'GET /sales': { allowed: hosts, call: () => ({ path: '/sales' }) },
  'GET /sales.csv': { allowed: hosts, call: (w) => ({ path: `/sales.csv?showId=${w.showId}` }) },
  'GET /shows/:id/sales': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/sales` }) },

  // Buying and orders (the buyer role owns the world's orders)
  'POST /buy': { allowed: notSeller, call: (w) => ({ path: '/buy', body: { showId: w.showId, variantId: w.variantId, idempotencyKey: w.unique('buy-key') } }) },
  'POST /cart/checkout': { allowed: notSeller, call: (w) => ({ path: '/cart/checkout', body: { items: [{ variantId: w.variantId, quantity: 1, showId: w.showId }], idempotencyKey: w.unique('cart-key') } }) },
  'GET /orders': { allowed: signedIn, call: () => ({ path: '/orders' }) },
  'GET /orders/:id': { allowed: ['buyer'], call: async (w) => ({ path: `/orders/${await w.order(false)}` }) },
  'POST /orders/:id/cancel': { allowed: ['buyer'], call: async (w) => ({ path: `/orders/${await w.order(false)}/cancel` }) },
  'POST /orders/:id/pay': {
    allowed: ['buyer'],
    call: async (w) => ({ path: `/orders/${await w.order(false)}/pay`, body: { shippingAddress: { name: 'A', line1: '1 St', city: 'Seoul', postalCode: '04524', country: 'kr' }, card: { number: '4242424242424242', expiry: '12/40', cvc: '123' } } })
  },
  'POST /orders/pay-together': {
    allowed: ['buyer'],
    call: async (w) => ({ path: '/orders/pay-together', body: { orderIds: [await w.order(false), await w.order(false)], shippingAddress: { name: 'A', line1: '1 St', city: 'Seoul', postalCode: '04524', country: 'kr' }, card: { number: '4242424242424242', expiry: '12/40', cvc: '123' } } })
  },
  'POST /orders/pay-together/quote': { allowed: ['buyer'], call: async (w) => ({ path: '/orders/pay-together/quote', body: { orderIds: [await w.order(false), await w.order(false)] } }) },
  'POST /orders/:id/fulfil': { allowed: runsShow, call: async (w) => ({ path: `/orders/${await w.order(true)}/fulfil`, body: { carrier: 'CJ', trackingNumber: '6012345678' } }) },
  'POST /orders/:id/refund': { allowed: runsShow, call: async (w) => ({ path: `/orders/${await w.order(true)}/refund`, body: { reason: 'Damaged in storage' } }) },
  'POST /coupons/:id/claim': { allowed: signedIn, call: async (w) => ({ path: `/coupons/${await w.coupon()}/claim` }) },

  // Chat moderation
  'DELETE /chat/messages/:id': { allowed: moderates, call: async (w) => ({ path: `/chat/messages/${await w.chatMessage()}`, body: { reason: 'spam' } }) },
  'POST /chat/messages/:id/report': { allowed: signedIn, call: async (w) => ({ path: `/chat/messages/${await w.chatMessage()}/report`, body: { reason: 'rude' } }) },
  'POST /shows/:id/chat/timeouts': { allowed: moderates, call: (w) => ({ path: `/shows/${w.showId}/chat/timeouts`, body: { userId: w.target.user.id, seconds: 60 } }) },
  'POST /shows/:id/chat/bans': { allowed: moderates, call: (w) => ({ path: `/shows/${w.showId}/chat/bans`, body: { userId: w.target.user.id } }) },
  'DELETE /shows/:id/chat/bans/:userId': {
    allowed: moderates,
    call: async (w) => {
      await w.asOwner('POST', `/shows/${w.showId}/chat/bans`, { userId: w.target.user.id });
      return { path: `/shows/${w.showId}/chat/bans/${w.target.user.id}`, body: {} };
    }
  },
  'POST /shows/:id/chat/blocks': { allowed: moderates, call: (w) => ({ path: `/shows/${w.showId}/chat/blocks`, body: { userId: w.target.user.id } }) },
  'PUT /shows/:id/chat/slow-mode': { allowed: moderates, call: (w) => ({ path: `/shows/${w.showId}/chat/slow-mode`, body: { seconds: 30 } }) },
  'PUT /shows/:id/chat/pin': { allowed: moderates, call: async (w) => ({ path: `/shows/${w.showId}/chat/pin`, body: { messageId: await w.chatMessage() } }) },
  'PUT /shows/:id/chat/blocklist': { allowed: moderates, call: (w) => ({ path: `/shows/${w.showId}/chat/blocklist`, body: { terms: ['badword'] } }) },
  'POST /shows/:id/moderation-events': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/moderation-events`, body: { kind: 'nsfw_frame', score: 0.9, action: 'paused' } }) },
  'GET /shows/:id/moderation-log': { allowed: moderates, call: (w) => ({ path: `/shows/${w.showId}/moderation-log` }) },

  // Chat translation: whoever may read the show's chat
  'GET /shows/:id/translation': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/translation` }) },
  'POST /shows/:id/translations': { allowed: everyone, call: async (w) => ({ path: `/shows/${w.showId}/translations`, body: { to: 'es', messageIds: [await w.chatMessage()], notice: true } }) },

  // Stats
  'GET /shows/:id/stats': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/stats` }) },

  // The API's own description and reference page
  'GET /openapi.json': { allowed: everyone, call: () => ({ path: '/openapi.json' }) },
  'GET /docs': { allowed: everyone, call: () => ({ path: '/docs' }) },
  'GET /shows/:id/stream-key': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/stream-key` }) },
  'POST /shows/:id/stream-key': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/stream-key` }) },

  // Captions: anyone reads the settings and the transcript; the show's host or an admin changes them
  'GET /shows/:id/captions': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/captions` }) },
  'PUT /shows/:id/captions': { allowed: runsShow, call: (w) => ({ path: `/shows/${w.showId}/captions`, body: { enabled: true, language: 'en' } }) },
  'GET /shows/:id/transcript': { allowed: everyone, call: (w) => ({ path: `/shows/${w.showId}/transcript?q=bag` }) },

  // Follows: anyone signed in follows the owner's shop; the owner follows another (following oneself is a 400)
  'GET /hosts/:id/follow': { allowed: everyone, call: (w) => ({ path: `/hosts/${w.actors.owner.user.id}/follow` }) },
  'PUT /hosts/:id/follow': { allowed: signedIn, call: (w, role) => ({ path: `/hosts/${shopFor(w, role)}/follow` }) },
  'DELETE /hosts/:id/follow': {
    allowed: signedIn,
    call: async (w, role) => {
      const path = `/hosts/${shopFor(w, role)}/follow`;
      if (role !== 'anonymous') await fetch(`${w.app.url}/api${path}`, { method: 'PUT', headers: { cookie: w.actors[role].cookie } });
      return { path };
    }
  },

  // Webhooks: any host registers its own; only the endpoint's host sees its log or acts on it (to others it does not exist)
  'GET /webhooks': { allowed: hosts, call: () => ({ path: '/webhooks' }) },
  'POST /webhooks': { allowed: hosts, call: () => ({ path: '/webhooks', body: { url: 'http://127.0.0.1:9/hooks', events: ['order.paid'] } }) },
  'DELETE /webhooks/:id': { allowed: ['owner'], call: async (w) => ({ path: `/webhooks/${await w.webhookEndpoint()}` }) },
  'GET /webhooks/:id/deliveries': { allowed: ['owner'], call: async (w) => ({ path: `/webhooks/${await w.webhookEndpoint()}/deliveries` }) },
  'POST /webhooks/:id/deliveries/:deliveryId/replay': {
    allowed: ['owner'],
    call: async (w) => {
      const { endpointId, deliveryId } = await w.webhookDelivery();
      return { path: `/webhooks/${endpointId}/deliveries/${deliveryId}/replay` };
    }
  },

  // API tokens: anyone signed in lists (and may revoke) their own; hosts create them; another's token does not exist to them
  'GET /api-tokens': { allowed: signedIn, call: () => ({ path: '/api-tokens' }) },
  'POST /api-tokens': { allowed: hosts, call: (w) => ({ path: '/api-tokens', body: { name: w.unique('token'), scopes: ['read'] } }) },
  'DELETE /api-tokens/:id': { allowed: ['owner'], call: async (w) => ({ path: `/api-tokens/${await w.apiToken()}` }) }
};

export interface WsRule<M extends RequestMethod = RequestMethod> {
  method: M;
  allowed: readonly Role[];
  /** Takes the role's socket as far as the role can get (joined, transports made) and returns the request. */
  prepare: (w: World, client: TestWsClient, role: Role) => Promise<RequestData<M>> | RequestData<M>;
}

const rule = <M extends RequestMethod>(r: WsRule<M>): WsRule => r as unknown as WsRule;
const watch = async (w: World, c: TestWsClient) => void (await c.request('join', { showId: w.showId, role: 'viewer' }));
/** Joins as the host if the role may, else as a viewer; returns whether it is the host. */
const joinHighest = async (w: World, c: TestWsClient): Promise<boolean> => {
  if ((await c.call('join', { showId: w.showId, role: 'host' })).ok) return true;
  await watch(w, c);
  return false;
};
/** A send transport if the peer may have one, else its receive transport (to try publishing on). */
const ownTransport = async (c: TestWsClient): Promise<string> => {
  const send = await c.call('createTransport', { direction: 'send' });
  return send.ok ? send.data.id : (await c.request('createTransport', { direction: 'recv' })).id;
};
const dtlsParameters = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }] };

/** Keyed by a label; several rows may exercise one method in different ways. */
export const wsRules: Record<string, WsRule> = {
  'join as viewer': rule({ method: 'join', allowed: everyone, prepare: (w) => ({ showId: w.showId, role: 'viewer' }) }),
  'join as host': rule({ method: 'join', allowed: runsShow, prepare: (w) => ({ showId: w.showId, role: 'host' }) }),
  leave: rule({ method: 'leave', allowed: everyone, prepare: async (w, c) => (await watch(w, c), {}) }),
  'createTransport to watch': rule({ method: 'createTransport', allowed: everyone, prepare: async (w, c) => (await watch(w, c), { direction: 'recv' }) }),
  'createTransport to publish': rule({ method: 'createTransport', allowed: runsShow, prepare: async (w, c) => (await joinHighest(w, c), { direction: 'send' }) }),
  connectTransport: rule({
    method: 'connectTransport',
    allowed: everyone,
    prepare: async (w, c) => {
      await watch(w, c);
      return { transportId: (await c.request('createTransport', { direction: 'recv' })).id, dtlsParameters };
    }
  }),
  produce: rule({
    method: 'produce',
    allowed: runsShow,
    prepare: async (w, c) => (await joinHighest(w, c), { transportId: await ownTransport(c), kind: 'audio', rtpParameters: OPUS_PARAMETERS })
  }),
  'connectTransport of another peer': rule({
    method: 'connectTransport',
    allowed: [],
    prepare: async (w, c) => {
      const { transportId } = await w.publishing();
      await watch(w, c);
      return { transportId, dtlsParameters };
    }
  }),
  closeProducer: rule({
    method: 'closeProducer',
    allowed: runsShow,
    prepare: async (w, c) => {
      // Those who may publish close their own track; the rest try to close the host's.
      const hostsTrack = (await w.publishing()).producerId;
      if (!(await joinHighest(w, c))) return { producerId: hostsTrack };
      const transportId = await ownTransport(c);
      return { producerId: (await c.request('produce', { transportId, kind: 'audio', rtpParameters: OPUS_PARAMETERS })).producerId };
    }
  }),
  consume: rule({
    method: 'consume',
    allowed: everyone,
    prepare: async (w, c) => {
      await w.publishing();
      await watch(w, c);
      await c.request('createTransport', { direction: 'recv' });
      return { rtpCapabilities: OPUS_CAPABILITIES };
    }
  }),
  resumeConsumer: rule({
    method: 'resumeConsumer',
    allowed: everyone,
    prepare: async (w, c) => (await w.publishing(), { consumerId: await consumerOf(c, w.showId) })
  }),
  'resumeConsumer of another viewer': rule({
    method: 'resumeConsumer',
    allowed: [],
    prepare: async (w, c) => {
      const theirs = await w.watcherConsumer();
      await watch(w, c);
      return { consumerId: theirs };
    }
  }),
  setViewport: rule({ method: 'setViewport', allowed: everyone, prepare: async (w, c) => (await watch(w, c), { width: 640, height: 360 }) }),
  // A peer reports only its own mode: the request carries no peer to name.
  reportMediaMode: rule({ method: 'reportMediaMode', allowed: everyone, prepare: async (w, c) => (await watch(w, c), { mode: 'hls' }) }),
  ping: rule({ method: 'ping', allowed: everyone, prepare: () => ({ clientTime: Date.now() }) }),
  auctionSnapshot: rule({ method: 'auctionSnapshot', allowed: everyone, prepare: (w) => ({ showId: w.showId }) }),
  bid: rule({ method: 'bid', allowed: notSeller, prepare: async (w) => ({ lotId: await w.runningLot() }) }),
  setMaxBid: rule({ method: 'setMaxBid', allowed: notSeller, prepare: async (w) => ({ lotId: await w.runningLot(), maxAmount: 9000 }) }),
  lotEvents: rule({ method: 'lotEvents', allowed: everyone, prepare: async (w) => ({ lotId: await w.runningLot(), afterSeq: 0 }) }),
  overlaySnapshot: rule({ method: 'overlaySnapshot', allowed: everyone, prepare: (w) => ({ showId: w.showId }) }),
  vote: rule({ method: 'vote', allowed: signedIn, prepare: async (w) => ({ showId: w.showId, pollId: await w.poll(), option: 1 }) }),
  chatSend: rule({ method: 'chatSend', allowed: signedIn, prepare: (w) => ({ showId: w.showId, text: 'nice' }) }),
  chatHistory: rule({ method: 'chatHistory', allowed: everyone, prepare: (w) => ({ showId: w.showId }) }),
  heart: rule({ method: 'heart', allowed: everyone, prepare: (w) => ({ showId: w.showId }) })
};
