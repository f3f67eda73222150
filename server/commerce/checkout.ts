import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { CheckoutInput, OrderDto } from '#shared/orders.ts';
import type { Coupons } from './coupons.ts';
import type { Orders } from './orders.ts';
import type { PaymentProvider } from './payments.ts';

const log = logger('checkout');

/**
 * Paying for an order. The total is computed here from the stored items (what the
 * client shows is a display only), less a claimed coupon; the order stays
 * reserved while the charge runs and becomes paid only if it succeeds.
 */
export class Checkout {
  readonly #orders: Orders;
  readonly #coupons: Coupons;
  readonly #payments: PaymentProvider;
  readonly #now: () => number;

  constructor(opts: { orders: Orders; coupons: Coupons; payments: PaymentProvider; now?: () => number }) {
    this.#orders = opts.orders;
    this.#coupons = opts.coupons;
    this.#payments = opts.payments;
    this.#now = opts.now ?? Date.now;
  }

  async pay(buyer: PublicUser | null, orderId: string, input: CheckoutInput): Promise<OrderDto> {
    if (!buyer) throw new AppError('unauthenticated', 'Sign in to pay.');
    const order = this.#orders.get(orderId);
    if (order.buyerId !== buyer.id) throw new AppError('forbidden', 'This is not your order.');
    if (order.status !== 'pending_payment') throw new AppError('invalid_state', `This order is ${order.status.replace('_', ' ')}.`);
    if (order.payBy !== null && order.payBy <= this.#now()) throw new AppError('invalid_state', 'The time to pay for this order has run out.');

    const items = this.#orders.items(orderId);
    const subtotal = items.length ? items.reduce((s, i) => s + i.unitPrice * i.quantity, 0) : order.subtotal;
    const coupon = input.couponCode ? this.#coupons.discountFor(buyer.id, order.showId, input.couponCode, subtotal) : null;
    const discount = coupon?.discount ?? 0;
    const total = subtotal - discount;

    return this.#orders.whilePaying(orderId, async () => {
      const result = total > 0 ? await this.#payments.charge({ amount: total, currency: order.currency, card: input.card, reference: orderId }) : { ok: true as const, reference: 'free' };
      if (!result.ok) {
        log.info({ order: orderId, reason: result.message }, 'payment failed');
        throw new AppError('payment_failed', result.message);
      }
      const paid = this.#orders.markPaid(orderId, { paymentRef: result.reference, discount, total, couponId: coupon?.couponId ?? null, shippingAddress: input.shippingAddress });
      return this.#orders.dto(paid);
    });
  }

  /** The seller refunds a paid order in full. */
  async refund(orderId: string): Promise<OrderDto> {
    const order = this.#orders.get(orderId);
    if (order.status !== 'paid' && order.status !== 'fulfilled') throw new AppError('invalid_state', 'Only a paid order can be refunded.');
    return this.#orders.whilePaying(orderId, async () => {
      const result = order.total > 0 ? await this.#payments.refund({ paymentRef: order.paymentRef ?? '', amount: order.total, currency: order.currency }) : { ok: true as const, reference: 'free' };
      if (!result.ok) throw new AppError('payment_failed', result.message);
      return this.#orders.markRefunded(this.#orders.get(orderId));
    });
  }
}
