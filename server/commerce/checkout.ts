import type { Repo } from '../db/repo.ts';
import type { OrderRow, PaymentAttemptRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import type { PublicUser } from '#shared/auth.ts';
import { orderTotals, splitShipping, type CheckoutInput, type OrderDto, type PayTogetherInput, type PayTogetherQuoteDto } from '#shared/orders.ts';
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
  readonly #repo: Repo;
  readonly #orders: Orders;
  readonly #coupons: Coupons;
  readonly #attempts: PaymentAttempts;
  readonly #payments: PaymentProvider;
  readonly #now: () => number;

  constructor(opts: { repo: Repo; orders: Orders; coupons: Coupons; attempts: PaymentAttempts; payments: PaymentProvider; now?: () => number }) {
    this.#repo = opts.repo;
    this.#orders = opts.orders;
    this.#coupons = opts.coupons;
    this.#attempts = opts.attempts;
    this.#payments = opts.payments;
    this.#now = opts.now ?? Date.now;
  }

  async pay(buyer: PublicUser | null, orderId: string, input: CheckoutInput): Promise<OrderDto> {
    if (!buyer) throw new AppError('unauthenticated', 'Sign in to pay.');
    if ((await this.#orders.get(orderId)).buyerId !== buyer.id) throw new AppError('forbidden', 'This is not your order.');
    return this.#orders.whilePaying(orderId, async () => {
      await this.#settleEarlier([orderId]);
      const order = await this.#payable(orderId);
      const items = await this.#orders.items(orderId);
      const subtotal = items.length ? items.reduce((s, i) => s + i.unitPrice * i.quantity, 0) : order.subtotal;
      const coupon = input.couponCode ? await this.#coupons.discountFor(buyer.id, order, input.couponCode, subtotal) : null;
      const discount = coupon?.discount ?? 0;
      const attempt = await this.#opening([orderId], async () => {
        if (coupon) await this.#coupons.use(coupon.couponId, buyer.id, orderId);
        const { total } = orderTotals({ subtotal, discount, shipping: order.shipping, taxRateBp: order.taxRateBp });
        return this.#attempts.open({ orderId, amount: total, currency: order.currency, discount, couponId: coupon?.couponId ?? null, shippingAddress: input.shippingAddress });
      });
      const [paid] = await this.#charge([attempt], input.card);
      return paid!;
    });
  }

  /**
   * Pays several of the buyer's unpaid orders from one show and seller with one charge. Shipping is
   * combined and shared out over the orders, each with its own tax, so the orders' totals add up to the
   * charge. Every order is checked and every attempt recorded before the charge; all become paid together or none.
   */
  async payTogether(buyer: PublicUser | null, input: PayTogetherInput): Promise<OrderDto[]> {
    const ids = await this.#ownOrders(buyer, input.orderIds);
    return this.#orders.whilePaying(ids, async () => {
      await this.#settleEarlier(ids);
      const shares = await this.#together(ids);
      const chargeId = newId();
      const attempts = await this.#opening(ids, async () => {
        const opened: PaymentAttemptRow[] = [];
        for (const { order, shipping, total } of shares) {
          opened.push(await this.#attempts.open({ orderId: order.id, amount: total, currency: order.currency, discount: 0, couponId: null, shippingAddress: input.shippingAddress, chargeId, shipping }));
        }
        return opened;
      });
      return this.#charge(attempts, input.card);
    });
  }

  /** What paying these orders together comes to now: the figures `payTogether` would charge, for the buyer to see first. */
  async quoteTogether(buyer: PublicUser | null, orderIds: string[]): Promise<PayTogetherQuoteDto> {
    const shares = await this.#together(await this.#ownOrders(buyer, orderIds));
    const sum = (pick: (s: (typeof shares)[number]) => number) => shares.reduce((s, share) => s + pick(share), 0);
    return { currency: shares[0]!.order.currency, subtotal: sum((s) => s.order.subtotal), shipping: sum((s) => s.shipping), tax: sum((s) => s.tax), total: sum((s) => s.total) };
  }

  /** The ids in a fixed order (so the shipping's rounding lands on the same order every time), once each is known to be the buyer's. */
  async #ownOrders(buyer: PublicUser | null, orderIds: string[]): Promise<string[]> {
    if (!buyer) throw new AppError('unauthenticated', 'Sign in to pay.');
    const ids = [...orderIds].sort();
    if ((await Promise.all(ids.map((id) => this.#orders.get(id)))).some((o) => o.buyerId !== buyer.id)) throw new AppError('forbidden', 'These are not all your orders.');
    return ids;
  }

  /** Payable orders from one show and seller, each with its share of the combined shipping, its tax and its total. */
  async #together(ids: string[]): Promise<{ order: OrderRow; shipping: number; tax: number; total: number }[]> {
    const orders = await Promise.all(ids.map((id) => this.#payable(id)));
    const first = orders[0]!;
    if (orders.some((o) => o.sellerId !== first.sellerId || o.currency !== first.currency || o.showId !== first.showId)) {
      throw new AppError('bad_request', 'Only orders from one show and seller can be paid together.', { reason: 'invalid_input', field: 'orderIds' });
    }
    const units = (await Promise.all(orders.map((o) => this.#orders.items(o.id)))).map((items) => items.reduce((s, i) => s + i.quantity, 0) || 1);
    const shipping = splitShipping(await this.#orders.combinedShipping(orders, units.reduce((s, u) => s + u, 0)), units);
    return orders.map((order, i) => ({ order, shipping: shipping[i]!, ...orderTotals({ subtotal: order.subtotal, discount: 0, shipping: shipping[i]!, taxRateBp: order.taxRateBp }) }));
  }

  /** An attempt an earlier request left unsettled is settled first; while the provider cannot say, nobody pays twice. */
  async #settleEarlier(orderIds: string[]): Promise<void> {
    for (const orderId of orderIds) {
      const earlier = await this.#attempts.pendingFor(orderId);
      if (!earlier) continue;
      // An earlier charge shared with orders this request does not hold: hold those too while it is settled.
      const others = (await this.#attempts.ofCharge(earlier)).map((a) => a.orderId).filter((id) => !orderIds.includes(id));
      if (!(await this.#orders.whilePaying(others, () => this.#reconcile(earlier)))) {
        throw new AppError('conflict', 'An earlier payment for this order is still being confirmed. Try again in a minute.', { reason: 'payment_in_progress' });
      }
    }
  }

  /**
   * Opens a charge's attempts in one transaction that first locks its orders: a request for the same order on
   * another node waits, then finds the attempt this one opened and refuses, so one order is never charged twice.
   */
  #opening<T>(orderIds: string[], open: () => Promise<T>): Promise<T> {
    return this.#repo.tx(async () => {
      await this.#orders.lock(orderIds);
      for (const id of orderIds) {
        if (await this.#attempts.pendingFor(id)) throw new AppError('conflict', 'A payment for this order is already in progress.', { reason: 'payment_in_progress' });
      }
      return open();
    });
  }

  async #payable(orderId: string): Promise<OrderRow> {
    const order = await this.#orders.get(orderId);
    if (order.status !== 'pending_payment') throw new AppError('invalid_state', `This order is ${order.status.replace('_', ' ')}.`, { reason: 'order_status', status: order.status });
    if (order.payBy !== null && order.payBy <= this.#now()) throw new AppError('invalid_state', 'The time to pay for this order has run out.', { reason: 'pay_window_over' });
    return order;
  }

  /** One charge for the recorded attempts (one, or one per order paid together), under the first attempt's charge id. */
  async #charge(attempts: PaymentAttemptRow[], card: CheckoutInput['card']): Promise<OrderDto[]> {
    const lead = attempts[0]!;
    const chargeId = lead.chargeId ?? lead.id;
    const amount = attempts.reduce((s, a) => s + a.amount, 0);
    if (amount === 0) return this.#succeeded(attempts, 'free');
    let result: ChargeResult;
    try {
      result = await this.#payments.charge({ chargeId, idempotencyKey: chargeId, amount, currency: lead.currency, card, orderId: lead.orderId });
    } catch (err) {
      // The charge may or may not have happened: ask the provider rather than guess.
      log.error({ err, order: lead.orderId, charge: chargeId }, 'charge call failed');
      const settled = await this.#reconcile(lead);
      if (settled?.status === 'paid') return this.#orders.dtos(await Promise.all(attempts.map((a) => this.#orders.get(a.orderId))));
      throw new AppError('payment_failed', 'The payment could not be completed. Try again in a minute.', { reason: 'provider_unavailable' });
    }
    if (!result.ok) {
      log.info({ order: lead.orderId, charge: chargeId, orders: attempts.length, reason: result.message }, 'payment failed');
      await this.#failed(attempts);
      throw new AppError('payment_failed', result.message, { reason: result.reason });
    }
    return this.#succeeded(attempts, result.reference);
  }

  /** The seller refunds a paid order in full, saying why. */
  async refund(orderId: string, reason: string): Promise<OrderDto> {
    const order = await this.#orders.get(orderId);
    if (order.status !== 'paid' && order.status !== 'fulfilled') throw new AppError('invalid_state', 'Only a paid order can be refunded.');
    return this.#orders.whilePaying(orderId, async () => {
      if (order.total > 0) {
        const result = await this.#payments.refund({ paymentRef: order.paymentRef ?? '', amount: order.total, currency: order.currency, idempotencyKey: `refund-${orderId}` });
        if (!result.ok) throw new AppError('payment_failed', result.message, { reason: result.reason });
      }
      return this.#orders.markRefunded(await this.#orders.get(orderId), reason);
    });
  }

  /** Settles every attempt a previous run left pending (a crash between charge and recording it); run at start. */
  async reconcile(): Promise<{ paid: number; failed: number; unsettled: number }> {
    const counts = { paid: 0, failed: 0, unsettled: 0 };
    const seen = new Set<string>();
    for (const attempt of await this.#attempts.pending()) {
      // One charge shared by several orders is settled once, for all of them.
      const chargeId = attempt.chargeId ?? attempt.id;
      if (seen.has(chargeId)) continue;
      seen.add(chargeId);
      const order = await this.#orders.whilePaying((await this.#attempts.ofCharge(attempt)).map((a) => a.orderId), () => this.#reconcile(attempt));
      counts[order === null ? 'unsettled' : order.status === 'paid' ? 'paid' : 'failed']++;
    }
    if (counts.paid + counts.failed + counts.unsettled > 0) log.warn(counts, 'payment attempts left pending by an earlier run were reconciled');
    return counts;
  }

  /** Asks the provider what became of the attempt's charge and records it for every order it pays; null while the provider cannot say. */
  async #reconcile(attempt: PaymentAttemptRow): Promise<OrderRow | null> {
    const chargeId = attempt.chargeId ?? attempt.id;
    let outcome: ChargeLookup;
    try {
      outcome = await this.#payments.lookup(chargeId);
    } catch (err) {
      log.error({ err, order: attempt.orderId, charge: chargeId }, 'charge lookup failed; the attempt stays pending');
      return null;
    }
    log.info({ order: attempt.orderId, charge: chargeId, outcome: outcome.status }, 'payment attempt reconciled');
    const attempts = (await this.#attempts.ofCharge(attempt)).filter((a) => a.status === 'pending');
    if (outcome.status === 'succeeded') {
      try {
        await this.#succeeded(attempts, outcome.reference);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    } else {
      await this.#failed(attempts);
    }
    return this.#orders.get(attempt.orderId);
  }

  /** Records the charge and marks every order it pays for paid, in one transaction; if one cannot be paid any more, none is and the money goes back. */
  async #succeeded(attempts: PaymentAttemptRow[], reference: string): Promise<OrderDto[]> {
    try {
      const paid = await this.#repo.tx(async () => {
        const rows: OrderRow[] = [];
        for (const attempt of attempts) {
          const order = await this.#orders.get(attempt.orderId);
          const shipping = attempt.shipping ?? order.shipping;
          const { tax } = orderTotals({ subtotal: order.subtotal, discount: attempt.discount, shipping, taxRateBp: order.taxRateBp });
          // Settled meanwhile by another path: record nothing twice (and refund nothing).
          if (!(await this.#attempts.settle(attempt.id, { status: 'succeeded', providerRef: reference }))) throw new AppError('conflict', 'This payment was already recorded.', { reason: 'payment_in_progress' });
          rows.push(await this.#orders.markPaid(attempt.orderId, { paymentRef: reference, discount: attempt.discount, shipping, tax, total: attempt.amount, couponId: attempt.couponId, shippingAddress: attempt.shippingAddress }));
        }
        return rows;
      });
      for (const row of paid) this.#orders.announcePaid(row);
      return this.#orders.dtos(paid);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid_state') throw err;
      // An order cannot be paid any more (it lapsed while the charge was unsettled): the money goes back.
      const amount = attempts.reduce((s, a) => s + a.amount, 0);
      const lead = attempts[0]!;
      if (amount > 0) {
        const back = await this.#payments.refund({ paymentRef: reference, amount, currency: lead.currency, idempotencyKey: `refund-${lead.chargeId ?? lead.id}` });
        log.warn({ order: lead.orderId, charge: lead.chargeId ?? lead.id, refunded: back.ok }, 'charge for an order that could no longer be paid was refunded');
      }
      await this.#failed(attempts);
      throw new AppError('invalid_state', 'This order can no longer be paid; the charge was refunded.');
    }
  }

  /** Records failed attempts and gives their coupons back. */
  #failed(attempts: PaymentAttemptRow[]): Promise<void> {
    return this.#repo.tx(async () => {
      for (const attempt of attempts) {
        if ((await this.#attempts.settle(attempt.id, { status: 'failed' })) && attempt.couponId) {
          await this.#coupons.release(attempt.couponId, (await this.#orders.get(attempt.orderId)).buyerId, attempt.orderId);
        }
      }
    });
  }
}
