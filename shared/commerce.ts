import { z } from 'zod';
import { amountSchema, CURRENCIES } from './money.ts';

const id = z.string().min(1).max(64);

export const variantInputSchema = z.object({
  name: z.string().trim().max(60).default(''),
  sku: z.string().trim().max(64).optional(),
  price: amountSchema.optional(),
  stock: z.number().int().min(0, 'Stock cannot be negative.').max(1_000_000)
});

export const createProductSchema = z.object({
  title: z.string().trim().min(1, 'A product needs a title.').max(120),
  description: z.string().trim().max(4000).default(''),
  currency: z.enum(CURRENCIES).default('USD'),
  price: amountSchema,
  sku: z.string().trim().max(64).optional(),
  /** Without variants the product has one unnamed variant holding `stock`. */
  stock: z.number().int().min(0, 'Stock cannot be negative.').max(1_000_000).default(0),
  variants: z.array(variantInputSchema).max(50).optional()
});
export type CreateProductInput = z.infer<typeof createProductSchema>;

export const updateProductSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    description: z.string().trim().max(4000),
    price: amountSchema
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to update.');

export const setStockSchema = z.object({ stock: z.number().int().min(0, 'Stock cannot be negative.').max(1_000_000) });

export const variantDtoSchema = z.strictObject({ id: z.string(), name: z.string(), sku: z.string().nullable(), price: z.number(), stock: z.number() });
export type VariantDto = z.infer<typeof variantDtoSchema>;

export const productDtoSchema = z
  .strictObject({
    id: z.string(),
    ownerId: z.string(),
    title: z.string(),
    description: z.string(),
    currency: z.enum(CURRENCIES),
    price: z.number(),
    images: z.array(z.string()),
    variants: z.array(variantDtoSchema)
  })
  .meta({ id: 'Product' });
export type ProductDto = z.infer<typeof productDtoSchema>;

export const lineupSchema = z.object({ productIds: z.array(id).max(100) });

const saleTerms = z.object({
  discountKind: z.enum(['price', 'percent']),
  /** A sale price in minor units, or a percentage off (1–95). */
  discountValue: z.number().int().positive(),
  durationSeconds: z.number().int().min(10).max(24 * 3600),
  quantity: z.number().int().min(1).max(100_000),
  perBuyerLimit: z.number().int().min(1).max(100).default(1)
});
const saneDiscount = (s: { discountKind: string; discountValue: number }) => s.discountKind !== 'percent' || s.discountValue <= 95;
export const flashSaleTermsSchema = saleTerms.refine(saneDiscount, { message: 'At most 95% off.', path: ['discountValue'] });
export type FlashSaleTerms = z.infer<typeof flashSaleTermsSchema>;
export const createFlashSaleSchema = saleTerms
  .extend({ productId: id })
  .refine(saneDiscount, { message: 'At most 95% off.', path: ['discountValue'] });

export const flashSaleDtoSchema = z.strictObject({
  id: z.string(),
  productId: z.string(),
  discountKind: z.enum(['price', 'percent']),
  discountValue: z.number(),
  quantity: z.number(),
  remaining: z.number(),
  perBuyerLimit: z.number(),
  startsAt: z.number(),
  endsAt: z.number()
});
export type FlashSaleDto = z.infer<typeof flashSaleDtoSchema>;

/** A "3-2-1" drop: the product card appears for everyone at `dropAt` on the server clock. */
export const createDropSchema = z.object({
  productId: id,
  countdownSeconds: z.number().int().min(0).max(10).default(3),
  sale: flashSaleTermsSchema.optional()
});

export const dropDtoSchema = z.strictObject({ id: z.string(), productId: z.string(), dropAt: z.number(), saleId: z.string().nullable() });
export type DropDto = z.infer<typeof dropDtoSchema>;

/** The most units of one item a single buy or cart line takes. */
export const MAX_LINE_QUANTITY = 100;

export const buySchema = z.object({
  /** The show the buyer is watching; the product must be in its lineup (the server checks). */
  showId: id.optional(),
  variantId: id,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY).default(1),
  saleId: id.optional(),
  /** Chosen by the client per purchase intent; a retry or a double tap reuses it. */
  idempotencyKey: z.string().min(8).max(64)
});
export type BuyInput = z.infer<typeof buySchema>;

/**
 * The cart lives in the browser; checking it out reserves every line at once at server
 * prices, as one order per seller (and show). Each line names the show it was added in, if any.
 */
export const cartCheckoutSchema = z.object({
  items: z
    .array(z.object({ variantId: id, quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY), showId: id.optional() }))
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.variantId)).size === items.length, 'Each item may appear once in the cart; change its quantity instead.'),
  idempotencyKey: z.string().min(8).max(64)
});

export const createCouponSchema = z
  .object({
    code: z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{3,20}$/, 'Codes are 3–20 letters, digits or dashes.'),
    discountKind: z.enum(['amount', 'percent']),
    /** An amount off in minor units of `currency`, or a percentage off (1–90). */
    discountValue: amountSchema,
    /** Required for an amount coupon, which applies only to orders in that currency. */
    currency: z.enum(CURRENCIES).optional(),
    maxClaims: z.number().int().min(1).max(1_000_000),
    durationSeconds: z.number().int().min(10).max(7 * 24 * 3600).default(600)
  })
  .refine((c) => c.discountKind !== 'percent' || c.discountValue <= 90, { message: 'At most 90% off.', path: ['discountValue'] })
  .refine((c) => c.discountKind !== 'amount' || c.currency !== undefined, { message: 'An amount coupon needs a currency.', path: ['currency'] });

export const couponDtoSchema = z
  .strictObject({
    id: z.string(),
    code: z.string(),
    discountKind: z.enum(['amount', 'percent']),
    discountValue: z.number(),
    currency: z.enum(CURRENCIES).nullable(),
    remaining: z.number(),
    expiresAt: z.number()
  })
  .meta({ id: 'Coupon' });
export type CouponDto = z.infer<typeof couponDtoSchema>;

export const noticeSchema = z.object({ text: z.string().trim().max(280) });
export const pinSchema = z.object({ productIds: z.array(id).max(3, 'Pin at most three products.') });
export const createPollSchema = z.object({
  question: z.string().trim().min(1).max(200),
  options: z.array(z.string().trim().min(1).max(80)).min(2).max(6),
  durationSeconds: z.number().int().min(5).max(3600).default(60)
});
export const voteSchema = z.object({ showId: id, pollId: id, option: z.number().int().min(0).max(5) });

export const pollDtoSchema = z.strictObject({ id: z.string(), question: z.string(), options: z.array(z.string()), votes: z.array(z.number()), endsAt: z.number() });
export type PollDto = z.infer<typeof pollDtoSchema>;

/** What viewers see over the video; late joiners receive it whole. */
export const overlayStateSchema = z
  .strictObject({
    /**
     * Revision: grows with every change the host pushes (0 before any). The LL-HLS
     * stream marks each revision at the moment it was made (see timed-metadata.ts).
     */
    rev: z.number(),
    notice: z.string().nullable(),
    pinned: z.array(productDtoSchema),
    drop: dropDtoSchema.extend({ product: productDtoSchema, sale: flashSaleDtoSchema.nullable() }).nullable(),
    coupon: couponDtoSchema.nullable(),
    poll: pollDtoSchema.nullable()
  })
  .meta({ id: 'Overlay' });
export type OverlayState = z.infer<typeof overlayStateSchema>;

/** One committed overlay change: its revision, server time and kind. */
export interface OverlayChange {
  rev: number;
  at: number;
  kind: OverlayPush['type'];
}

export interface StockUpdate {
  productId: string;
  variants: { id: string; stock: number }[];
  sale: { id: string; remaining: number } | null;
}

/** What a host pushes over the video, by kind, as stored; the overlay's state is a fold over these. */
const pushPayloads = {
  notice: z.strictObject({ text: z.string() }),
  pin: z.strictObject({ productIds: z.array(z.string()) }),
  drop: z.strictObject({ drop: dropDtoSchema }),
  coupon: z.strictObject({ couponId: z.string() }),
  poll: z.strictObject({ poll: pollDtoSchema.omit({ votes: true }) }),
  /** The product was deleted or archived: it leaves the pins and the drop, and its sale ends. */
  withdraw: z.strictObject({ productId: z.string() })
};
type PushKind = keyof typeof pushPayloads;
export type OverlayPush = { [K in PushKind]: { type: K } & z.infer<(typeof pushPayloads)[K]> }[PushKind];

/** One push at its server time, for the replay timeline. */
const timelineEntry = <K extends PushKind>(type: K) => z.strictObject({ at: z.number(), type: z.literal(type), payload: pushPayloads[type] });
export const timelineEntryDtoSchema = z
  .discriminatedUnion('type', [timelineEntry('notice'), timelineEntry('pin'), timelineEntry('drop'), timelineEntry('coupon'), timelineEntry('poll'), timelineEntry('withdraw')])
  .meta({ id: 'TimelineEntry' });
export type TimelineEntryDto = z.infer<typeof timelineEntryDtoSchema>;
