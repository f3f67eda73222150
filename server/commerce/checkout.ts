import type { Db } from '../db/client.ts';
import type { OrderRow, PaymentAttemptRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import type { PublicUser } from '#shared/auth.ts';
import { orderTotals, type CheckoutInput, type OrderDto } from '#shared/orders.ts';
import type { Coupons } from './coupons.ts';
import type { Orders } from './orders.ts';
import type { PaymentAttempts } from './payment-attempts.ts';
import type { ChargeLookup, ChargeResult, PaymentProvider } from './payments.ts';

const log = logger('checkout');

/**
 * Paying for an order. The total is computed here from the stored items (what the client
 * shows is a display only), less a coupon. Before the provider is called, one transaction
 * marks the coupon used (only if unused) and records the attempt; the order becomes paid
 * only once the charge succeeded, and an attempt left unsettled by a crash is settled by
 * asking the provider about its charge id.
 */
export class Checkout {
  readonly #db: Db;
  readonly #orders: Orders;
  readonly #coupons: Coupons;
  readonly #attempts: PaymentAttempts;
  readonly #payments: PaymentProvider;
  readonly #now: () => number;

  constructor(opts: { db: Db; orders: Orders; coupons: Coupons; attempts: PaymentAttempts; payments: PaymentProvider; now?: () => number }) {
    this.#db = opts.db;
    this.#orders = opts.orders;
    this.#coupons = opts.coupons;
    this.#attempts = opts.attempts;
    this.#payments = opts.payments;
    this.#now = opts.now ?? Date.now;
  }

  async pay(buyer: PublicUser | null, orderId: string, input: CheckoutInput): Promise<OrderDto> {
    if (!buyer) throw new AppError('unauthenticated', 'Sign in to pay.');
    if (this.#orders.get(orderId).buyerId !== buyer.id) throw new AppError('forbidden', 'This is not your order.');
    return this.#orders.whilePaying(orderId, async () => {
      const earlier = this.#attempts.pendingFor(orderId);
      if (earlier && !(await this.#reconcile(earlier))) {
        throw new AppError('conflict', 'An earlier payment for this order is still being confirmed. Try again in a minute.', { reason: 'payment_in_progress' });
      }
      const order = this.#orders.get(orderId);
      if (order.status !== 'pending_payment') throw new AppError('invalid_state', `This order is ${order.status.replace('_', ' ')}.`, { reason: 'order_status', status: order.status });
      if (order.payBy !== null && order.payBy <= this.#now()) throw new AppError('invalid_state', 'The time to pay for this order has run out.', { reason: 'pay_window_over' });

      const items = this.#orders.items(orderId);
      const subtotal = items.length ? items.reduce((s, i) => s + i.unitPrice * i.quantity, 0) : order.subtotal;
      const coupon = input.couponCode ? this.#coupons.discountFor(buyer.id, order, input.couponCode, subtotal) : null;
      const discount = coupon?.discount ?? 0;
      const attempt = this.#db.transaction(() => {
        if (coupon) this.#coupons.use(coupon.couponId, buyer.id, orderId);
        const { total } = orderTotals({ subtotal, discount, shipping: order.shipping, taxRateBp: order.taxRateBp });
        return this.#attempts.open({ orderId, amount: total, currency: order.currency, discount, couponId: coupon?.couponId ?? null, shippingAddress: input.shippingAddress });
      });
      if (attempt.amount === 0) return this.#succeeded(attempt, 'free');

      let result: ChargeResult;
      try {
        result = await this.#payments.charge({ chargeId: attempt.id, idempotencyKey: attempt.id, amount: attempt.amount, currency: attempt.currency, card: input.card, orderId });
      } catch (err) {
        // The charge may or may not have happened: ask the provider rather than guess.
        log.error({ err, order: orderId, attempt: attempt.id }, 'charge call failed');
        const settled = await this.#reconcile(attempt);
        if (settled?.status === 'paid') return this.#orders.dto(settled);
        throw new AppError('payment_failed', 'The payment could not be completed. Try again in a minute.', { reason: 'provider_unavailable' });
      }
      if (!result.ok) {
        log.info({ order: orderId, attempt: attempt.id, reason: result.message }, 'payment failed');
        this.#failed(attempt);
        throw new AppError('payment_failed', result.message, { reason: result.reason });
      }
      return this.#succeeded(attempt, result.reference);
    });
  }

  /** The seller refunds a paid order in full, saying why. */
  async refund(orderId: string, reason: string): Promise<OrderDto> {
    const order = this.#orders.get(orderId);
    if (order.status !== 'paid' && order.status !== 'fulfilled') throw new AppError('invalid_state', 'Only a paid order can be refunded.');
    return this.#orders.whilePaying(orderId, async () => {
      if (order.total > 0) {
        const result = await this.#payments.refund({ paymentRef: order.paymentRef ?? '', amount: order.total, currency: order.currency, idempotencyKey: `refund-${orderId}` });
        if (!result.ok) throw new AppError('payment_failed', result.message, { reason: result.reason });
      }
      return this.#orders.markRefunded(this.#orders.get(orderId), reason);
    });
  }

  /** Settles every attempt a previous run left pending (a crash between charge and recording it); run at start. */
  async reconcile(): Promise<{ paid: number; failed: number; unsettled: number }> {
    const counts = { paid: 0, failed: 0, unsettled: 0 };
    for (const attempt of this.#attempts.pending()) {
      const order = await this.#orders.whilePaying(attempt.orderId, () => this.#reconcile(attempt));
      counts[order === null ? 'unsettled' : order.status === 'paid' ? 'paid' : 'failed']++;
    }
    if (counts.paid + counts.failed + counts.unsettled > 0) log.warn(counts, 'payment attempts left pending by an earlier run were reconciled');
    return counts;
  }

  /** Asks the provider what became of the attempt's charge and records it; null while the provider cannot say. */
  async #reconcile(attempt: PaymentAttemptRow): Promise<OrderRow | null> {
    let outcome: ChargeLookup;
    try {
      outcome = await this.#payments.lookup(attempt.id);
    } catch (err) {
      log.error({ err, order: attempt.orderId, attempt: attempt.id }, 'charge lookup failed; the attempt stays pending');
      return null;
    }
    log.info({ order: attempt.orderId, attempt: attempt.id, outcome: outcome.status }, 'payment attempt reconciled');
    if (outcome.status === 'succeeded') {
      try {
        await this.#succeeded(attempt, outcome.reference);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    } else {
      this.#failed(attempt);
    }
    return this.#orders.get(attempt.orderId);
  }

  async #succeeded(attempt: PaymentAttemptRow, reference: string): Promise<OrderDto> {
    const order = this.#orders.get(attempt.orderId);
    const { tax } = orderTotals({ subtotal: order.subtotal, discount: attempt.discount, shipping: order.shipping, taxRateBp: order.taxRateBp });
    try {
      const paid = this.#db.transaction(() => {
        this.#attempts.settle(attempt.id, { status: 'succeeded', providerRef: reference });
        return this.#orders.markPaid(attempt.orderId, { paymentRef: reference, discount: attempt.discount, tax, total: attempt.amount, couponId: attempt.couponId, shippingAddress: attempt.shippingAddress });
      });
      this.#orders.announcePaid(paid);
      return this.#orders.dto(paid);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid_state') throw err;
      // The order cannot be paid any more (it lapsed while the charge was unsettled): the money goes back.
      if (attempt.amount > 0) {
        const back = await this.#payments.refund({ paymentRef: reference, amount: attempt.amount, currency: attempt.currency, idempotencyKey: `refund-${attempt.id}` });
        log.warn({ order: attempt.orderId, attempt: attempt.id, refunded: back.ok }, 'charge for an order that could no longer be paid was refunded');
      }
      this.#failed(attempt);
      throw new AppError('invalid_state', 'This order can no longer be paid; the charge was refunded.');
    }
  }

  /** Records a failed attempt and gives its coupon back. */
  #failed(attempt: PaymentAttemptRow): void {
    const buyerId = this.#orders.get(attempt.orderId).buyerId;
    this.#db.transaction(() => {
      this.#attempts.settle(attempt.id, { status: 'failed' });
      if (attempt.couponId) this.#coupons.release(attempt.couponId, buyerId, attempt.orderId);
    });
  }
}
