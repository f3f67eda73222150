import { z } from 'zod';
import { CURRENCIES, type Currency } from '$shared/money';
import { MAX_LINE_QUANTITY } from '$shared/commerce';

const cartLineSchema = z.object({
  variantId: z.string().min(1),
  productId: z.string().min(1),
  title: z.string(),
  unitPrice: z.number().int().nonnegative(),
  currency: z.enum(CURRENCIES),
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  showId: z.string().min(1).nullable()
});
/** One item in the cart. Prices are the ones shown when it was added: for display only. */
export type CartLine = z.infer<typeof cartLineSchema>;

/**
 * The lines saved in this browser. Storage may hold an older or hand-edited cart, so each
 * line is checked: a malformed one, or a second line for the same item, is dropped.
 */
export function readLines(saved: string | null): CartLine[] {
  let raw: unknown;
  try {
    raw = JSON.parse(saved ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const lines: CartLine[] = [];
  for (const item of raw) {
    const parsed = cartLineSchema.safeParse(item);
    if (parsed.success && !lines.some((l) => l.variantId === parsed.data.variantId)) lines.push(parsed.data);
  }
  return lines;
}

export const itemCount = (lines: readonly CartLine[]): number => lines.reduce((n, l) => n + l.quantity, 0);

export const lineTotal = (line: CartLine): number => line.unitPrice * line.quantity;

/** What the cart comes to, one figure per currency (money in different currencies never adds up). */
export function cartTotals(lines: readonly CartLine[]): { currency: Currency; amount: number }[] {
  const totals = new Map<Currency, number>();
  for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0) + lineTotal(l));
  return [...totals].map(([currency, amount]) => ({ currency, amount }));
}

/**
 * Adding an item already in the cart adds one more of it, up to the line's limit and the
 * stock shown; null when there is no more to add.
 */
export function withAdded(lines: readonly CartLine[], line: Omit<CartLine, 'quantity'>, stock: number = MAX_LINE_QUANTITY): CartLine[] | null {
  const most = Math.min(MAX_LINE_QUANTITY, stock);
  const held = lines.find((l) => l.variantId === line.variantId)?.quantity ?? 0;
  if (held >= most) return null;
  if (held === 0) return [...lines, { ...line, quantity: 1 }];
  return lines.map((l) => (l.variantId === line.variantId ? { ...l, quantity: held + 1 } : l));
}

/** A typed quantity: whole items up to the limit; zero or less (or nothing typed) removes the line. */
export function withQuantity(lines: readonly CartLine[], variantId: string, quantity: number): CartLine[] {
  const whole = Math.min(MAX_LINE_QUANTITY, Math.trunc(quantity));
  if (!(whole > 0)) return lines.filter((l) => l.variantId !== variantId);
  return lines.map((l) => (l.variantId === variantId ? { ...l, quantity: whole } : l));
}
