import type { TOptions } from 'i18next';
import type { ErrorParams } from '$shared/errors';
import { ClientError } from '$lib/client-error';

type Translate = (key: string, options?: TOptions) => string;

/** Params that are amounts in the minor unit of `params.currency`. */
const MONEY_PARAMS = ['min', 'amount'] as const;

/** Minor units to major ones, by the currency's own digits (cents for USD, none for KRW). */
function toMajor(amount: number, currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return amount / 10 ** digits;
}

/** Interpolation values for a message: amounts through i18next's currency formatter in the UI's locale. */
function values(params: ErrorParams, t: Translate): TOptions {
  const { currency, field, status } = params;
  const options: TOptions = { ...params, formatParams: {} };
  for (const key of MONEY_PARAMS) {
    const amount = params[key];
    if (amount === undefined || !currency) continue;
    options[key] = toMajor(amount, currency);
    (options.formatParams as Record<string, unknown>)[key] = { currency };
  }
  if (field) options.field = t(`errors.fields.${field}`, { defaultValue: '' }) || t('errors.fields.other');
  if (status) options.status = t(`orders.status.${status}`);
  return options;
}

/** What an error page says: the load's code and reason when it gave them, else by the status alone. */
export function pageErrorText(status: number, error: App.Error | null, t: Translate): string {
  const code = error?.code ?? (status === 404 ? 'not_found' : 'internal');
  return errorText(new ClientError(code, error?.message ?? '', error?.reason ? { reason: error.reason } : {}), t);
}

/**
 * What a failed request means, in the reader's language: by the reason when there is one, else by
 * the code, else a generic line. The server's English message is never shown.
 */
export function errorText(err: unknown, t: Translate): string {
  if (!(err instanceof ClientError)) return t('errors.generic');
  const options = values(err.params, t);
  const byCode = t(`errors.code.${err.code}`, { ...options, defaultValue: t('errors.generic') });
  const { reason } = err.params;
  return reason ? t(`errors.reason.${reason}`, { ...options, defaultValue: byCode }) : byCode;
}
