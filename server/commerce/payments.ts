import type { ErrorReasons } from '#shared/errors.ts';
import type { Currency } from '#shared/money.ts';

/** A refusal says why in words for the log and as a reason the buyer's UI can translate. */
export type ChargeResult = { ok: true; reference: string } | { ok: false; message: string; reason: ErrorReasons['payment_failed'] };

/** What the provider knows of a charge this app asked for; `unknown` means it never took place. */
export type ChargeLookup = { status: 'succeeded'; reference: string } | { status: 'failed' | 'unknown' };

export interface ChargeInput {
  /** Ours, recorded before the call: the provider files the charge under it, so it can be looked up after a crash. */
  chargeId: string;
  /** A repeated call with the same key must not charge twice. */
  idempotencyKey: string;
  amount: number;
  currency: Currency;
  card: { number: string; expiry: string; cvc: string };
  orderId: string;
}

/** What checkout needs from a payment service; a real provider plugs in here. */
export interface PaymentProvider {
  readonly name: string;
  charge(input: ChargeInput): Promise<ChargeResult>;
  lookup(chargeId: string): Promise<ChargeLookup>;
  refund(input: { paymentRef: string; amount: number; currency: Currency; idempotencyKey: string }): Promise<ChargeResult>;
}

/** Test cards, as payment services document them. */
export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995'
} as const;

/**
 * A provider for development and tests: no network, no money, deterministic outcomes by
 * card number. Its ledger lives in memory, like a provider's own records, apart from the app's database.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  readonly #now: () => Date;
  readonly #ledger = new Map<string, ChargeResult>();
  readonly #refunds = new Map<string, ChargeResult>();

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  async charge(input: ChargeInput): Promise<ChargeResult> {
    const earlier = this.#ledger.get(input.idempotencyKey);
    if (earlier) return earlier;
    const result = this.#decide(input);
    this.#ledger.set(input.idempotencyKey, result);
    if (input.chargeId !== input.idempotencyKey) this.#ledger.set(input.chargeId, result);
    return result;
  }

  async lookup(chargeId: string): Promise<ChargeLookup> {
    const result = this.#ledger.get(chargeId);
    if (!result) return { status: 'unknown' };
    return result.ok ? { status: 'succeeded', reference: result.reference } : { status: 'failed' };
  }

  async refund(input: Parameters<PaymentProvider['refund']>[0]): Promise<ChargeResult> {
    const earlier = this.#refunds.get(input.idempotencyKey);
    if (earlier) return earlier;
    const result: ChargeResult = input.paymentRef.startsWith('test_') ? { ok: true, reference: `refund_${input.paymentRef}` } : { ok: false, message: 'Unknown payment.', reason: 'declined' };
    this.#refunds.set(input.idempotencyKey, result);
    return result;
  }

  #decide(input: ChargeInput): ChargeResult {
    const [mm, yy] = input.card.expiry.split('/').map(Number) as [number, number];
    const now = this.#now();
    const expired = 2000 + yy < now.getUTCFullYear() || (2000 + yy === now.getUTCFullYear() && mm < now.getUTCMonth() + 1);
    if (expired) return { ok: false, message: 'The card has expired.', reason: 'card_expired' };
    switch (input.card.number) {
      case TEST_CARDS.success:
        return { ok: true, reference: `test_${input.chargeId}` };
      case TEST_CARDS.insufficientFunds:
        return { ok: false, message: 'The card has insufficient funds.', reason: 'insufficient_funds' };
      case TEST_CARDS.declined:
        return { ok: false, message: 'The card was declined.', reason: 'declined' };
      default:
        return { ok: false, message: 'The card was declined. In test mode use 4242 4242 4242 4242.', reason: 'declined' };
    }
  }
}
