import { z } from 'zod';
import { CURRENCIES, type Currency } from './money.ts';
import type { OrderDto } from './orders.ts';
import { SHOW_STATUSES } from './shows.ts';

/** Takings in one currency. */
export const revenueSchema = z.strictObject({ currency: z.enum(CURRENCIES), amount: z.number() }).meta({ id: 'Revenue' });
export type Revenue = z.infer<typeof revenueSchema>;

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
export const statsNowSchema = z.strictObject({
  viewers: z.number(),
  peakViewers: z.number(),
  views: z.number(),
  hearts: z.number(),
  messages: z.number(),
  messagesPerMinute: z.number(),
  bids: z.number(),
  orders: z.number(),
  buyers: z.number(),
  revenue: z.number(),
  /** Distinct buyers over views, 0–1. */
  conversion: z.number()
});
export type StatsNow = z.infer<typeof statsNowSchema>;

export const statsMinuteSchema = z.strictObject({
  minute: z.number(),
  viewers: z.number(),
  hearts: z.number(),
  messages: z.number(),
  bids: z.number(),
  orders: z.number(),
  revenue: z.number()
});
export type StatsMinute = z.infer<typeof statsMinuteSchema>;

/** The stats page's reply: the show's status, its numbers now and per minute. */
export const showStatsDtoSchema = z
  .strictObject({
    status: z.enum(SHOW_STATUSES),
    now: statsNowSchema,
    /** Net of refunds, per currency (see netRevenue). */
    revenue: z.array(revenueSchema),
    minutes: z.array(statsMinuteSchema)
  })
  .meta({ id: 'ShowStats' });
export type ShowStatsDto = z.infer<typeof showStatsDtoSchema>;
