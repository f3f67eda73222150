import { api } from '$lib/api';
import type { OrderDto } from '$shared/orders';

/**
 * One purchase intent keeps one idempotency key until it succeeds, so a double tap
 * or a retry after a dropped connection can only ever create one order.
 */
// Browser-only: buyNow runs from click handlers, never during SSR.
const pendingKeys = new Map<string, string>();

export async function buyNow(opts: { showId: string; variantId: string; saleId?: string | null; quantity?: number }): Promise<OrderDto> {
  const intent = `${opts.showId}:${opts.variantId}:${opts.saleId ?? ''}`;
  let key = pendingKeys.get(intent);
  if (!key) pendingKeys.set(intent, (key = crypto.randomUUID()));
  const { order } = await api('POST /buy', { body: { showId: opts.showId, variantId: opts.variantId, saleId: opts.saleId ?? undefined, quantity: opts.quantity ?? 1, idempotencyKey: key } });
  pendingKeys.delete(intent);
  return order;
}
