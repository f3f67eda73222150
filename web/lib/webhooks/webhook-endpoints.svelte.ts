import { api } from '$lib/api';
import type { CreatedWebhookEndpointDto, WebhookDeliveryDto, WebhookEndpointDto, WebhookEventType } from '$shared/webhooks';

/**
 * The host's webhook endpoints on the seller's webhooks page: the one just registered with its signing secret
 * (held until dismissed: the server never sends it again), and one endpoint's delivery log at a time.
 */
export class WebhookEndpoints {
  #endpoints = $state<WebhookEndpointDto[]>([]);
  #created = $state<CreatedWebhookEndpointDto | null>(null);
  #logOf = $state<string | null>(null);
  #deliveries = $state<WebhookDeliveryDto[]>([]);

  constructor(endpoints: WebhookEndpointDto[]) {
    this.#endpoints = endpoints;
  }

  get endpoints(): WebhookEndpointDto[] {
    return this.#endpoints;
  }

  get created(): CreatedWebhookEndpointDto | null {
    return this.#created;
  }

  /** The endpoint whose log is open, or null. */
  get logOf(): string | null {
    return this.#logOf;
  }

  get deliveries(): WebhookDeliveryDto[] {
    return this.#deliveries;
  }

  /** Whether a pending delivery waits for an earlier one of its show (a show's events go out in order). */
  waitsForEarlier(delivery: WebhookDeliveryDto): boolean {
    return delivery.status === 'pending' && delivery.showId !== null &&
      this.#deliveries.some((d) => d.showId === delivery.showId && d.status === 'pending' && d.eventId < delivery.eventId);
  }

  /** Registers an endpoint; throws the server's refusal (a refused address, the limit) and keeps the list as it was. */
  async create(url: string, events: WebhookEventType[]): Promise<void> {
    const created = await api('POST /webhooks', { body: { url, events } });
    this.#endpoints = [...this.#endpoints, created.endpoint];
    this.#created = created;
  }

  /** Forgets the shown secret: it cannot be shown again. */
  dismiss(): void {
    this.#created = null;
  }

  async remove(id: string): Promise<void> {
    await api('DELETE /webhooks/:id', { params: { id } });
    this.#endpoints = this.#endpoints.filter((e) => e.id !== id);
    if (this.#created?.endpoint.id === id) this.#created = null;
    if (this.#logOf === id) this.closeLog();
  }

  /** Opens (or reloads) an endpoint's delivery log. */
  async openLog(id: string): Promise<void> {
    const { deliveries } = await api('GET /webhooks/:id/deliveries', { params: { id } });
    this.#logOf = id;
    this.#deliveries = deliveries;
  }

  closeLog(): void {
    this.#logOf = null;
    this.#deliveries = [];
  }

  /** Sends a delivery of the open log again; its row shows it pending until the log is reloaded. */
  async replay(deliveryId: number): Promise<void> {
    const id = this.#logOf;
    if (!id) return;
    const { delivery } = await api('POST /webhooks/:id/deliveries/:deliveryId/replay', { params: { id, deliveryId: String(deliveryId) } });
    this.#deliveries = this.#deliveries.map((d) => (d.id === delivery.id ? delivery : d));
  }
}
