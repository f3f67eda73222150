import type { Config } from '../config.ts';
import { logger } from '../log.ts';
import { TestPaymentProvider, type PaymentProvider } from './payments.ts';

const log = logger('payments');

/** The provider the configuration names; a real provider gets its case here. */
export function createPaymentProvider(name: Config['payments']['provider']): PaymentProvider {
  switch (name) {
    case 'test':
      log.warn(
        { provider: 'test' },
        '!!! TEST PAYMENTS: PAYMENT_PROVIDER=test charges no card and moves no money. Orders are marked paid for test card numbers only. Never run a real shop like this. !!!'
      );
      return new TestPaymentProvider();
  }
}
