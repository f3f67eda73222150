import crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import { canHost, type PublicUser } from '#shared/auth.ts';
import { MAX_WEBHOOK_ENDPOINTS, type CreateWebhookEndpointInput, type CreatedWebhookEndpointDto, type WebhookDeliveryDto, type WebhookEndpointDto } from '#shared/webhooks.ts';
import { assertUrlForm, hostOf, RefusedAddressError, resolveAllowed, type AddressPolicy } from './address-policy.ts';
import { toEndpointDto, type EndpointRow, type WebhookStore } from './webhook-store.ts';

/** Replays per host and minute: enough to retry by hand, too few to turn the server on a receiver. */
const REPLAYS_PER_MINUTE = 10;
/** Endpoints a host may register per hour (each costs a DNS lookup). */
const CREATIONS_PER_HOUR = 20;
/** Deliveries the studio's log lists per endpoint. */
const LOG_LENGTH = 50;

/** Hosts' webhook endpoints: registering (URL checked against the address policy), the delivery log, replays. */
export class Webhooks {
  readonly #store: WebhookStore;
  readonly #policy: AddressPolicy;
  readonly #now: () => number;
  readonly #replays: SharedLimit;
  readonly #creations: SharedLimit;

  constructor(opts: { store: WebhookStore; policy: AddressPolicy; limits: LimitStore; now?: () => number }) {
    this.#store = opts.store;
    this.#policy = opts.policy;
    this.#now = opts.now ?? Date.now;
    this.#replays = opts.limits.limit({ name: 'webhook-replays', limit: REPLAYS_PER_MINUTE, windowSeconds: 60 });
    this.#creations = opts.limits.limit({ name: 'webhook-endpoints', limit: CREATIONS_PER_HOUR, windowSeconds: 3600 });
  }

  async list(actor: PublicUser): Promise<WebhookEndpointDto[]> {
    return (await this.#store.endpoints(assertHost(actor).id)).map(toEndpointDto);
  }

  /** Registers an endpoint; its signing secret is in this reply and never again. */
  async create(actor: PublicUser, input: CreateWebhookEndpointInput): Promise<CreatedWebhookEndpointDto> {
    const host = assertHost(actor);
    const url = new URL(input.url);
    assertUrlForm(url, this.#policy);
    if ((await this.#store.endpointCount(host.id)) >= MAX_WEBHOOK_ENDPOINTS) {
      throw new AppError('conflict', `A shop can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first.`, { reason: 'webhook_limit', limit: MAX_WEBHOOK_ENDPOINTS });
    }
    if (!(await this.#creations.take(host.id))) throw new AppError('rate_limited', 'Too many endpoints registered in a short time. Try again later.');
    try {
      await resolveAllowed(hostOf(url), this.#policy);
    } catch (err) {
      if (err instanceof RefusedAddressError) throw new AppError('bad_request', `Webhooks cannot be delivered there: ${err.message}.`, { reason: 'webhook_address' });
      throw err;
    }
    const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
    const row = await this.#store.createEndpoint({ id: newId(), hostId: host.id, url: url.href, events: input.events, secret, createdAt: this.#now() });
    return { endpoint: toEndpointDto(row), secret };
  }

  async remove(actor: PublicUser, id: string): Promise<void> {
    await this.#owned(actor, id);
    await this.#store.deleteEndpoint(id);
  }

  async deliveries(actor: PublicUser, endpointId: string): Promise<WebhookDeliveryDto[]> {
    await this.#owned(actor, endpointId);
    return this.#store.deliveries(endpointId, LOG_LENGTH);
  }

  /** Sends one delivery again, whatever became of it; the receiver sees the same webhook-id as before. */
  async replay(actor: PublicUser, endpointId: string, deliveryId: number): Promise<WebhookDeliveryDto> {
    await this.#owned(actor, endpointId);
    if (!(await this.#replays.take(actor.id))) throw new AppError('rate_limited', 'Too many replays in a short time. Wait a minute and try again.');
    if (!(await this.#store.replay(endpointId, deliveryId, this.#now()))) throw new AppError('not_found', 'No such delivery.');
    return (await this.#store.delivery(endpointId, deliveryId))!;
  }

  /** The endpoint if it is the actor's; another host's is as unknown as one that does not exist. */
  async #owned(actor: PublicUser, id: string): Promise<EndpointRow> {
    const row = await this.#store.endpoint(id);
    if (!row || row.hostId !== assertHost(actor).id) throw new AppError('not_found', 'No such webhook endpoint.');
    return row;
  }
}

function assertHost(actor: PublicUser): PublicUser {
  if (!canHost(actor.role)) throw new AppError('forbidden', 'Only hosts can register webhooks.', { reason: 'hosts_only' });
  return actor;
}
