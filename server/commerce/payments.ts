import type { Currency } from '#shared/money.ts';

export type ChargeResult = { ok: true; reference: string } | { ok: false; message: string };

/** What checkout needs from a payment service; a real provider plugs in here. */
export interface PaymentProvider {
  charge(input: { amount: number; currency: Currency; card: { number: string; expiry: string; cvc: string }; reference: string }): Promise<ChargeResult>;
  refund(input: { paymentRef: string; amount: number; currency: Currency }): Promise<ChargeResult>;
}

/** Test cards, as payment services document them. */
export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995'
} as const;

/** A provider for development and tests: no network, deterministic outcomes by card number. */
export class TestPaymentProvider implements PaymentProvider {
  readonly #now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  async charge(input: Parameters<PaymentProvider['charge']>[0]): Promise<ChargeResult> {
    const [mm, yy] = input.card.expiry.split('/').map(Number) as [number, number];
    const now = this.#now();
    const expired = 2000 + yy < now.getUTCFullYear() || (2000 + yy === now.getUTCFullYear() && mm < now.getUTCMonth() + 1);
    if (expired) return { ok: false, message: 'The card has expired.' };
    switch (input.card.number) {
      case TEST_CARDS.success:
        return { ok: true, reference: `test_${input.reference}` };
      case TEST_CARDS.insufficientFunds:
        return { ok: false, message: 'The card has insufficient funds.' };
      case TEST_CARDS.declined:
        return { ok: false, message: 'The card was declined.' };
      default:
        return { ok: false, message: 'The card was declined. In test mode use 4242 4242 4242 4242.' };
    }
  }

  async refund(input: Parameters<PaymentProvider['refund']>[0]): Promise<ChargeResult> {
    return input.paymentRef.startsWith('test_') || input.paymentRef === 'free'
      ? { ok: true, reference: `refund_${input.paymentRef}` }
      : { ok: false, message: 'Unknown payment.' };
  }
}
