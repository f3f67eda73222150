import { and, asc, eq } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { PaymentAttemptRow } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { Currency } from '#shared/money.ts';
import type { ShippingAddress } from '#shared/orders.ts';

/**
 * The durable record of each charge attempt. A row is committed as `pending` before the
 * provider is called and settled once its outcome is known, so a crash in between leaves a
 * row that says which charge to ask the provider about.
 */
export class PaymentAttempts {
  readonly #repo: Repo;
  readonly #now: () => number;

  constructor(repo: Repo, now: () => number = Date.now) {
    this.#repo = repo;
    this.#now = now;
  }

  /** Records a new attempt; call inside the transaction that reserves its coupon. */
  async open(input: { orderId: string; amount: number; currency: Currency; discount: number; couponId: string | null; shippingAddress: ShippingAddress; chargeId?: string; shipping?: number }): Promise<PaymentAttemptRow> {
    const now = this.#now();
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.insert(t.paymentAttempts).values({ id: newId(), status: 'pending', createdAt: now, updatedAt: now, ...input }).returning()))!;
  }

  /** Settles a pending attempt; false when it was already settled. */
  async settle(id: string, outcome: { status: 'succeeded'; providerRef: string } | { status: 'failed' }): Promise<boolean> {
    const { db, t } = this.#repo;
    const changed = await this.#repo.changes(
      db
        .update(t.paymentAttempts)
        .set({ ...outcome, updatedAt: this.#now() })
        .where(and(eq(t.paymentAttempts.id, id), eq(t.paymentAttempts.status, 'pending')))
    );
    return changed === 1;
  }

  pendingFor(orderId: string): Promise<PaymentAttemptRow | undefined> {
    const { db, t } = this.#repo;
    return this.#repo.one(db.select().from(t.paymentAttempts).where(and(eq(t.paymentAttempts.orderId, orderId), eq(t.paymentAttempts.status, 'pending'))));
  }

  /** The attempts one charge pays for: the attempt itself, or every order of a charge shared by several. */
  async ofCharge(attempt: PaymentAttemptRow): Promise<PaymentAttemptRow[]> {
    if (attempt.chargeId === null) return [attempt];
    const { db, t } = this.#repo;
    return this.#repo.all(db.select().from(t.paymentAttempts).where(eq(t.paymentAttempts.chargeId, attempt.chargeId)).orderBy(asc(t.paymentAttempts.orderId)));
  }

  pending(): Promise<PaymentAttemptRow[]> {
    const { db, t } = this.#repo;
    return this.#repo.all(db.select().from(t.paymentAttempts).where(eq(t.paymentAttempts.status, 'pending')).orderBy(asc(t.paymentAttempts.createdAt)));
  }
}
