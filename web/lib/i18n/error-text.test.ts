import { describe, expect, it } from 'vitest';
import type { ErrorReasons } from '$shared/errors';
import { ClientError } from '$lib/client-error';
import { errorText, pageErrorText } from './error-text';
import { I18n } from './i18n.svelte';
import en from './locales/en.json';
import ko from './locales/ko.json';
import zh from './locales/zh.json';

const t = (locale: 'en' | 'ko' | 'zh') => new I18n(locale).t;
/** Latin letters other than a currency code: English that leaked into a translation. */
const english = (text: string) => text.replace(/\b[A-Z]{3}\b/g, '').match(/[A-Za-z]+/g);

describe('errorText', () => {
  it('says a bid is too low with the minimum in the lot’s currency, formatted for the reader', () => {
    const err = new ClientError('bad_request', 'Bids must be at least 5200.', { reason: 'bid_too_low', min: 5200, currency: 'USD' });
    expect(errorText(err, t('en'))).toBe('Bid at least $52.00.');
    expect(errorText(err, t('ko'))).toBe('US$52.00 이상 입찰하세요.');
    expect(errorText(err, t('zh'))).toBe('出价至少为 US$52.00。');
    const won = new ClientError('bad_request', 'Bids must be at least 52000.', { reason: 'bid_too_low', min: 52000, currency: 'KRW' });
    expect(errorText(won, t('ko'))).toBe('₩52,000 이상 입찰하세요.');
  });

  it('tells the reasons of one code apart and fills in their counts', () => {
    const limit = new ClientError('conflict', 'This sale allows 2 per buyer; you already have 2.', { reason: 'per_buyer_limit', limit: 2, held: 2 });
    const soldOut = new ClientError('conflict', 'Sold out.', { reason: 'sold_out' });
    expect(errorText(limit, t('ko'))).toBe('이 할인은 1인당 2개까지이며, 이미 2개를 가지고 있습니다.');
    expect(errorText(soldOut, t('ko'))).toBe('품절되었습니다.');
    const status = new ClientError('invalid_state', 'This order is paid.', { reason: 'order_status', status: 'paid' });
    expect(errorText(status, t('zh'))).toBe(`此订单状态为${zh.orders.status.paid}。`);
  });

  it('names the field a validation error concerns, and falls back to a generic line for unknown fields', () => {
    expect(errorText(new ClientError('bad_request', 'email: Invalid email', { reason: 'invalid_input', field: 'email' }), t('ko'))).toBe('이메일 항목을 확인하세요.');
    expect(errorText(new ClientError('bad_request', 'card.cvc: bad', { reason: 'invalid_input', field: 'card.cvc' }), t('en'))).toBe('Check the security code.');
    expect(errorText(new ClientError('bad_request', 'x.y: bad', { reason: 'invalid_input', field: 'x.y' }), t('zh'))).toBe('请检查输入的内容。');
    expect(errorText(new ClientError('bad_request', 'shippingAddress.postalCode: Enter a postal code.', { reason: 'invalid_input', field: 'shippingAddress.postalCode' }), t('zh'))).toBe('请检查邮政编码。');
  });

  it('falls back to the code’s own line, then a generic one, and never shows the server’s English', () => {
    const bare = new ClientError('payment_failed', 'The card was declined.');
    expect(errorText(bare, t('ko'))).toBe('결제가 완료되지 않았습니다.');
    expect(errorText(new ClientError('disconnected', 'Not connected.'), t('zh'))).toBe('连接已断开，正在重新连接…');
    expect(errorText(new Error('TypeError: x is undefined'), t('ko'))).toBe(ko.errors.generic);
  });

  it('has every reason and code translated in every language, without English words in ko and zh', () => {
    const reasons = Object.keys(en.errors.reason) as ErrorReasons[keyof ErrorReasons][];
    for (const dict of [ko, zh]) {
      expect(Object.keys(dict.errors.reason).sort()).toEqual([...reasons].sort());
      expect(Object.keys(dict.errors.code).sort()).toEqual(Object.keys(en.errors.code).sort());
      for (const text of [...Object.values(dict.errors.reason), ...Object.values(dict.errors.code)]) {
        expect(english(text.replace(/\{\{[^}]*\}\}/g, '')), text).toBeNull();
      }
    }
  });

  it('says an error page’s reason in the reader’s language, and a bare status by its code', () => {
    expect(pageErrorText(404, { message: 'No such show.', code: 'not_found', reason: 'no_show' }, t('ko'))).toBe('그런 방송이 없습니다.');
    expect(pageErrorText(403, { message: 'Only hosts sell.', code: 'forbidden', reason: 'hosts_only' }, t('zh'))).toBe(zh.errors.reason.hosts_only);
    expect(pageErrorText(404, { message: 'Not Found' }, t('ko'))).toBe(ko.errors.code.not_found);
    expect(pageErrorText(500, { message: 'Internal Error' }, t('zh'))).toBe(zh.errors.code.internal);
  });
});
