import type { Currency } from '#shared/money.ts';
import type { SaleDto } from '#shared/orders.ts';

const HEADER = ['order', 'date', 'status', 'show', 'buyer', 'items', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total', 'ship to', 'address', 'city', 'postal code', 'country', 'carrier', 'tracking', 'refund reason'];

/**
 * One CSV cell: quoted when it holds a separator, quote or line break, and a text that a
 * spreadsheet would run as a formula (= + - @, or a leading tab/CR) is prefixed with '.
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A plain decimal in major units ("12.50", "5000"), which spreadsheets read as a number. */
function major(v: number, currency: Currency): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (v / 10 ** digits).toFixed(digits);
}
const amount = (v: number, o: SaleDto) => major(v, o.currency);

/** The seller's orders as a spreadsheet: one row per order, amounts in the order's currency. */
export function salesCsv(sales: SaleDto[]): string {
  const rows = sales.map((o) => {
    const a = o.shippingAddress;
    const items = o.items.length ? o.items.map((i) => `${i.title} x${i.quantity}`).join('; ') : o.title;
    return [
      o.id, new Date(o.createdAt).toISOString(), o.status, o.showTitle ?? '', o.buyerName, items, o.currency,
      amount(o.subtotal, o), amount(o.discount, o), amount(o.shipping, o), amount(o.tax, o), amount(o.total, o),
      a?.name ?? '', a ? [a.line1, a.line2].filter(Boolean).join(', ') : '', a?.city ?? '', a?.postalCode ?? '', a?.country ?? '',
      o.tracking?.carrier ?? '', o.tracking?.number ?? '', o.refundReason ?? ''
    ];
  });
  return [HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
