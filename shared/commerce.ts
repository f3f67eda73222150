import { z } from 'zod';
import { amountSchema, CURRENCIES, type Currency } from './money.ts';

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

export interface VariantDto {
  id: string;
  name: string;
  sku: string | null;
  price: number;
  stock: number;
}

export interface ProductDto {
  id: string;
  ownerId: string;
  title: string;
  description: string;
  currency: Currency;
  price: number;
  images: string[];
  variants: VariantDto[];
}

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

export interface FlashSaleDto {
  id: string;
  productId: string;
  discountKind: 'price' | 'percent';
  discountValue: number;
  quantity: number;
  remaining: number;
  perBuyerLimit: number;
  startsAt: number;
  endsAt: number;
}

/** A "3-2-1" drop: the product card appears for everyone at `dropAt` on the server clock. */
export const createDropSchema = z.object({
  productId: id,
  countdownSeconds: z.number().int().min(0).max(10).default(3),
  sale: flashSaleTermsSchema.optional()
});

export interface DropDto {
  id: string;
  productId: string;
  dropAt: number;
  saleId: string | null;
}

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

export interface CouponDto {
  id: string;
  code: string;
  discountKind: 'amount' | 'percent';
  discountValue: number;
  currency: Currency | null;
  remaining: number;
  expiresAt: number;
}

export const noticeSchema = z.object({ text: z.string().trim().max(280) });
export const pinSchema = z.object({ productIds: z.array(id).max(3, 'Pin at most three products.') });
export const createPollSchema = z.object({
  question: z.string().trim().min(1).max(200),
  options: z.array(z.string().trim().min(1).max(80)).min(2).max(6),
  durationSeconds: z.number().int().min(5).max(3600).default(60)
});
export const voteSchema = z.object({ showId: id, pollId: id, option: z.number().int().min(0).max(5) });

export interface PollDto {
  id: string;
  question: string;
  options: string[];
  votes: number[];
  endsAt: number;
}

/** What viewers see over the video; late joiners receive it whole. */
export interface OverlayState {
  /**
   * Revision: grows with every change the host pushes (0 before any). The LL-HLS
   * stream marks each revision at the moment it was made (see timed-metadata.ts).
   */
  rev: number;
  notice: string | null;
  pinned: ProductDto[];
  drop: (DropDto & { product: ProductDto; sale: FlashSaleDto | null }) | null;
  coupon: CouponDto | null;
  poll: PollDto | null;
}

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

/** What a host pushes over the video, as stored; the overlay's state is a fold over these. */
export type OverlayPush =
  | { type: 'notice'; text: string }
  | { type: 'pin'; productIds: string[] }
  | { type: 'drop'; drop: DropDto }
  | { type: 'coupon'; couponId: string }
  | { type: 'poll'; poll: Omit<PollDto, 'votes'> }
  /** The product was deleted or archived: it leaves the pins and the drop, and its sale ends. */
  | { type: 'withdraw'; productId: string };

/** One push at its server time, for the replay timeline. */
export type TimelineEntryDto = {
  [K in OverlayPush['type']]: { at: number; type: K; payload: Omit<Extract<OverlayPush, { type: K }>, 'type'> };
}[OverlayPush['type']];
