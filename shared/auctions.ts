import { z } from 'zod';
import { amountSchema, CURRENCIES } from './money.ts';

/**
 * An increment table: each step applies while the current price is below `below`;
 * the last step has no `below` and applies to every higher price.
 */
export const incrementStepSchema = z.object({
  below: amountSchema.optional(),
  increment: amountSchema
});
export const incrementTableSchema = z
  .array(incrementStepSchema)
  .min(1)
  .max(20)
  .refine((steps) => steps.at(-1)!.below === undefined, 'The last step must have no upper bound.')
  .refine(
    (steps) => steps.slice(0, -1).every((s, i) => s.below !== undefined && (i === 0 || s.below > steps[i - 1]!.below!)),
    'Step bounds must increase.'
  );
export type IncrementTable = z.infer<typeof incrementTableSchema>;

/** +1 under 20, +2 under 100, +5 under 500, +10 under 1000, +25 above (in major units × 100). */
export const DEFAULT_INCREMENTS: IncrementTable = [
  { below: 2_000, increment: 100 },
  { below: 10_000, increment: 200 },
  { below: 50_000, increment: 500 },
  { below: 100_000, increment: 1_000 },
  { increment: 2_500 }
];

export function incrementAt(table: IncrementTable, price: number): number {
  for (const step of table) if (step.below === undefined || price < step.below) return step.increment;
  return table.at(-1)!.increment;
}

export const LOT_MODES = ['standard', 'sudden_death'] as const;
export type LotMode = (typeof LOT_MODES)[number];
export const LOT_STATUSES = ['queued', 'live', 'sold', 'unsold', 'cancelled'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const createLotSchema = z
  .object({
    title: z.string().trim().min(1, 'A lot needs a title.').max(120),
    description: z.string().trim().max(2000).default(''),
    imageUrl: z.string().trim().max(500).url().optional(),
    currency: z.enum(CURRENCIES).default('USD'),
    startingPrice: amountSchema,
    reservePrice: amountSchema.optional(),
    durationSeconds: z.number().int().min(10).max(3600).default(60),
    counterBidSeconds: z.number().int().min(1).max(120).default(10),
    mode: z.enum(LOT_MODES).default('standard'),
    increments: incrementTableSchema.optional()
  })
  .refine((l) => l.reservePrice === undefined || l.reservePrice >= l.startingPrice, {
    message: 'The reserve cannot be below the starting price.',
    path: ['reservePrice']
  });
export type CreateLotInput = z.infer<typeof createLotSchema>;

const bidderSchema = z.strictObject({ id: z.string(), displayName: z.string() });

export const lotDtoSchema = z
  .strictObject({
    id: z.string(),
    showId: z.string(),
    title: z.string(),
    description: z.string(),
    imageUrl: z.string().nullable(),
    currency: z.enum(CURRENCIES),
    startingPrice: z.number(),
    hasReserve: z.boolean(),
    reserveMet: z.boolean(),
    durationSeconds: z.number(),
    counterBidSeconds: z.number(),
    mode: z.enum(LOT_MODES),
    increments: z.array(z.strictObject({ below: z.number().optional(), increment: z.number() })),
    status: z.enum(LOT_STATUSES),
    position: z.number(),
    /** Server time (epoch ms) the lot closes at, while live. */
    endsAt: z.number().nullable(),
    /** Server time (epoch ms) the lot opened, in a show's lot list (null before it opens); absent elsewhere. */
    openedAt: z.number().nullable().optional(),
    price: z.number().nullable(),
    leader: bidderSchema.nullable(),
    nextMinimum: z.number(),
    bidCount: z.number(),
    seq: z.number(),
    winnerId: z.string().nullable()
  })
  .meta({ id: 'Lot' });
export type LotDto = z.infer<typeof lotDtoSchema>;

/** What every client sees, in order, per lot: `seq` increases by one per event. */
export type AuctionEvent =
  | { seq: number; at: number; type: 'started'; endsAt: number; price: null; nextMinimum: number }
  | {
      seq: number;
      at: number;
      type: 'bid';
      bidder: { id: string; displayName: string };
      amount: number;
      /** Placed by the server on behalf of the bidder's max bid. */
      auto: boolean;
      endsAt: number;
      nextMinimum: number;
      reserveMet: boolean;
    }
  | { seq: number; at: number; type: 'resumed'; endsAt: number }
  | { seq: number; at: number; type: 'closed'; result: 'sold' | 'unsold' | 'cancelled'; winner: { id: string; displayName: string } | null; price: number | null };

export const bidRequestSchema = z.object({
  lotId: z.string().min(1).max(64),
  /** Omitted: the next valid amount (one-tap bid). */
  amount: amountSchema.optional(),
  /** The amount the client saw as next minimum; a one-tap bid never pays more than the bidder saw. */
  expected: amountSchema.optional()
});
export const maxBidRequestSchema = z.object({ lotId: z.string().min(1).max(64), maxAmount: amountSchema });
export const lotRequestSchema = z.object({ lotId: z.string().min(1).max(64) });
export const showLotsRequestSchema = z.object({ showId: z.string().min(1).max(64) });
