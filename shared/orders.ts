import type { Currency } from './money.ts';

/** pending_payment → paid → fulfilled; pending_payment → cancelled / expired; paid → refunded. */
export const ORDER_STATUSES = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderDto {
  id: string;
  status: OrderStatus;
  title: string;
  currency: Currency;
  total: number;
  lotId: string | null;
  showId: string | null;
  payBy: number | null;
  createdAt: number;
}
