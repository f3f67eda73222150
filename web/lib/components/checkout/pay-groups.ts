import { MAX_ORDERS_PAID_TOGETHER, type OrderDto } from '$shared/orders';

export interface PayGroup {
  key: string;
  orders: OrderDto[];
}

/**
 * The buyer's unpaid orders the server takes in one payment: two or more from one show and seller
 * in one currency, at most as many as one charge may pay for. Orders stay in the list's order.
 */
export function payGroups(orders: readonly OrderDto[]): PayGroup[] {
  const byKey = new Map<string, OrderDto[]>();
  for (const o of orders) {
    if (o.status !== 'pending_payment' || !o.showId || !o.sellerId) continue;
    const key = `${o.showId}|${o.sellerId}|${o.currency}`;
    byKey.set(key, [...(byKey.get(key) ?? []), o]);
  }
  return [...byKey]
    .filter(([, list]) => list.length > 1)
    .map(([key, list]) => ({ key, orders: list.slice(0, MAX_ORDERS_PAID_TOGETHER) }));
}
