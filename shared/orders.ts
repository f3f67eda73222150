import { z } from 'zod';
import { CURRENCIES, MAX_AMOUNT } from './money.ts';

/** pending_payment → paid → fulfilled; pending_payment → cancelled / expired; paid → refunded. */
export const ORDER_STATUSES = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A charge attempt is pending from just before the provider is called until its outcome is recorded. */
export const PAYMENT_ATTEMPT_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const shippingAddressSchema = z.object({
  name: z.string().trim().min(1, 'Enter the recipient’s name.').max(100),
  line1: z.string().trim().min(1, 'Enter a street address.').max(200),
  line2: z.string().trim().max(200).default(''),
  city: z.string().trim().min(1, 'Enter a city.').max(100),
  postalCode: z.string().trim().min(1, 'Enter a postal code.').max(20),
  country: z.string().trim().length(2, 'Use a two-letter country code.').toUpperCase()
});
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

export const cardSchema = z.object({
  number: z.string().transform((s) => s.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{12,19}$/, 'Enter a card number.')),
  expiry: z.string().regex(/^(0[1-9]|1[0-2])\/\d{2}$/, 'Use MM/YY.'),
  cvc: z.string().regex(/^\d{3,4}$/, 'Enter the 3 or 4 digit code.')
});

export const checkoutSchema = z.object({
  shippingAddress: shippingAddressSchema,
  card: cardSchema,
  couponCode: z.string().trim().min(1).max(40).optional()
});
export type CheckoutInput = z.infer<typeof checkoutSchema>;

/** Most orders one charge may pay for. */
export const MAX_ORDERS_PAID_TOGETHER = 20;

/** A buyer's unpaid orders from one show and seller, paid by one charge with combined shipping. */
export const payTogetherSchema = z.object({
  orderIds: z
    .array(z.string().min(1).max(64))
    .min(2)
    .max(MAX_ORDERS_PAID_TOGETHER)
    .refine((ids) => new Set(ids).size === ids.length, 'Each order once.'),
  shippingAddress: shippingAddressSchema,
  card: cardSchema
});
export type PayTogetherInput = z.infer<typeof payTogetherSchema>;

/** The orders to price before paying them together. */
export const payTogetherQuoteSchema = payTogetherSchema.pick({ orderIds: true });

/** What paying several orders together comes to, summed as the server will charge it. */
export const payTogetherQuoteDtoSchema = z
  .strictObject({
    currency: z.enum(CURRENCIES),
    subtotal: z.number(),
    /** Combined shipping: less than the orders' own shipping added up when the seller charges less per extra item. */
    shipping: z.number(),
    tax: z.number(),
    total: z.number()
  })
  .meta({ id: 'PayTogetherQuote' });
export type PayTogetherQuoteDto = z.infer<typeof payTogetherQuoteDtoSchema>;

/** The seller marks a paid order shipped; the buyer sees both. */
export const fulfilSchema = z.object({
  carrier: z.string().trim().min(1, 'Enter the carrier.').max(60),
  trackingNumber: z.string().trim().min(1, 'Enter the tracking number.').max(80)
});

/** The seller refunds a paid order; the reason is shown to the buyer. */
export const refundSchema = z.object({
  reason: z.string().trim().min(1, 'Enter a reason for the refund.').max(300)
});

/** The seller's orders page and its CSV export narrow by these (query string). */
const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
export const salesFilterSchema = z.object({
  status: z.preprocess(blankIsAbsent, z.enum(ORDER_STATUSES).optional()),
  showId: z.preprocess(blankIsAbsent, z.string().trim().min(1).max(64).optional())
});
export type SalesFilter = z.infer<typeof salesFilterSchema>;

/** A seller's shipping prices (minor units of `currency`) and tax rate in basis points (1000 = 10%). */
export const sellerTermsSchema = z.object({
  currency: z.enum(CURRENCIES),
  shippingPerOrder: z.number().int().min(0).max(MAX_AMOUNT),
  shippingPerExtraItem: z.number().int().min(0).max(MAX_AMOUNT),
  taxRateBp: z.number().int().min(0).max(5000, 'A tax rate above 50% is not accepted.')
});
export type SellerTermsDto = z.infer<typeof sellerTermsSchema>;
/** Terms as the server answers them (what sellerTermsSchema accepted). */
export const sellerTermsDtoSchema = z.strictObject(sellerTermsSchema.shape).meta({ id: 'SellerTerms' });

/** Shipping for `units` items under these terms: the first item at the order price, each further one at the extra price. */
export function shippingFor(terms: Pick<SellerTermsDto, 'shippingPerOrder' | 'shippingPerExtraItem'> | undefined, units: number): number {
  return terms ? terms.shippingPerOrder + terms.shippingPerExtraItem * Math.max(0, units - 1) : 0;
}

/**
 * An order's figures, the same on the server (which charges them) and in the browser (which shows
 * them before paying): tax on the goods after the discount, rounded half up to the minor unit.
 */
export function orderTotals(o: { subtotal: number; discount: number; shipping: number; taxRateBp: number }): { tax: number; total: number } {
  const goods = Math.max(0, o.subtotal - o.discount);
  const tax = Math.floor((goods * o.taxRateBp + 5000) / 10000);
  return { tax, total: goods + o.shipping + tax };
}

/** Combined shipping shared out by units, the rounding remainder on the first order, so the shares add up to it. */
export function splitShipping(combined: number, units: number[]): number[] {
  const all = units.reduce((s, u) => s + u, 0);
  const shares = units.map((u) => (all > 0 ? Math.floor((combined * u) / all) : 0));
  if (shares.length > 0) shares[0]! += combined - shares.reduce((s, x) => s + x, 0);
  return shares;
}

export const orderItemDtoSchema = z.strictObject({ productId: z.string(), variantId: z.string(), title: z.string(), unitPrice: z.number(), quantity: z.number() });
export type OrderItemDto = z.infer<typeof orderItemDtoSchema>;

export const orderDtoSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(ORDER_STATUSES),
    title: z.string(),
    currency: z.enum(CURRENCIES),
    subtotal: z.number(),
    discount: z.number(),
    shipping: z.number(),
    /** Basis points; the tax itself is known once the discount is (at payment). */
    taxRateBp: z.number(),
    tax: z.number(),
    total: z.number(),
    lotId: z.string().nullable(),
    showId: z.string().nullable(),
    sellerId: z.string().nullable(),
    payBy: z.number().nullable(),
    createdAt: z.number(),
    items: z.array(orderItemDtoSchema),
    tracking: z.strictObject({ carrier: z.string(), number: z.string() }).nullable(),
    refundReason: z.string().nullable()
  })
  .meta({ id: 'Order' });
export type OrderDto = z.infer<typeof orderDtoSchema>;

/** A shipping address as stored and shown back (the output of shippingAddressSchema). */
const storedAddressSchema = z.strictObject({ name: z.string(), line1: z.string(), line2: z.string(), city: z.string(), postalCode: z.string(), country: z.string() });

/** What the seller sees of an order: who bought it and where it goes. */
export const saleDtoSchema = orderDtoSchema
  .extend({ buyerName: z.string(), showTitle: z.string().nullable(), shippingAddress: storedAddressSchema.nullable() })
  .meta({ id: 'Sale' });
export type SaleDto = z.infer<typeof saleDtoSchema>;
