import { z } from 'zod';

/** Amounts are integers in the currency's minor unit (cents, won); the server never uses floats for money. */
export const CURRENCIES = ['USD', 'EUR', 'KRW', 'CNY', 'JPY', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

const MINOR_DIGITS: Record<Currency, number> = { USD: 2, EUR: 2, KRW: 0, CNY: 2, JPY: 0, GBP: 2 };

/** Largest amount accepted anywhere (10 million major units in a 2-digit currency). */
export const MAX_AMOUNT = 1_000_000_000;

export const amountSchema = z
  .number()
  .int('Amounts are whole numbers of the currency’s smallest unit.')
  .positive('Amounts must be positive.')
  .max(MAX_AMOUNT, 'That amount is too large.');

export function formatMoney(amount: number, currency: Currency, locale = 'en'): string {
  const digits = MINOR_DIGITS[currency];
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    amount / 10 ** digits
  );
}

/** Minor units as one would type them ("12.50", "3000"): what `parseMoney` reads back. */
export function moneyInput(amount: number, currency: Currency): string {
  const digits = MINOR_DIGITS[currency];
  return (amount / 10 ** digits).toFixed(digits);
}

/** Parses a typed major-unit amount ("12.50") into minor units, or null when it is not a valid amount. */
export function parseMoney(text: string, currency: Currency): number | null {
  const digits = MINOR_DIGITS[currency];
  const m = /^\s*(\d{1,9})(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || 0);
}
