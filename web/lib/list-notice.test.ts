import { describe, expect, it } from 'vitest';
import { ClientError } from '$lib/client-error';
import { I18n } from '$lib/i18n/i18n.svelte';
import { ListNotice } from './list-notice.svelte';

const ko = new I18n('ko').t;

describe('ListNotice', () => {
  it('says nothing until an action ends, then what it did', async () => {
    const notice = new ListNotice(ko);
    expect(notice.current).toBeNull();
    await notice.run(async () => {}, 'Revoked.');
    expect(notice.current).toEqual({ ok: true, text: 'Revoked.' });
  });

  it('says why an action failed in the reader’s language instead of throwing, and replaces it on the next run', async () => {
    const notice = new ListNotice(ko);
    await notice.run(async () => {
      throw new ClientError('conflict', 'Sold out.', { reason: 'sold_out' });
    }, 'Revoked.');
    expect(notice.current).toEqual({ ok: false, text: '품절되었습니다.' });
    await notice.run(async () => {}, 'Deleted.');
    expect(notice.current).toEqual({ ok: true, text: 'Deleted.' });
  });
});
