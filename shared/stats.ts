import type { Currency } from './money.ts';
import type { OrderDto } from './orders.ts';
import type { ShowStatus } from './shows.ts';

/** Takings in one currency. */
export interface Revenue {
  currency: Currency;
  amount: number;
}

/**
 * A show's revenue, the one figure the studio and the stats page both show: paid orders (shipped
 * or not) per currency; a refunded, cancelled or unpaid order counts for nothing.
 */
export function netRevenue(orders: readonly Pick<OrderDto, 'status' | 'currency' | 'total'>[]): Revenue[] {
  const by = new Map<Currency, number>();
  for (const o of orders) if (o.status === 'paid' || o.status === 'fulfilled') by.set(o.currency, (by.get(o.currency) ?? 0) + o.total);
  return [...by].map(([currency, amount]) => ({ currency, amount }));
}

/** A show's numbers as its host sees them. */
export interface StatsNow {
  viewers: number;
  peakViewers: number;
  views: number;
  hearts: number;
  messages: number;
  messagesPerMinute: number;
  bids: number;
  orders: number;
  buyers: number;
  revenue: number;
  /** Distinct buyers over views, 0–1. */
  conversion: number;
}

export interface StatsMinute {
  minute: number;
  viewers: number;
  hearts: number;
  messages: number;
  bids: number;
  orders: number;
  revenue: number;
}

/** The stats page's reply: the show's status, its numbers now and per minute. */
export interface ShowStatsDto {
  status: ShowStatus;
  now: StatsNow;
  /** Net of refunds, per currency (see netRevenue). */
  revenue: Revenue[];
  minutes: StatsMinute[];
}
