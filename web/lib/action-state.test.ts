import { describe, expect, it } from 'vitest';
import { ClientError } from '$lib/client-error';
import { I18n } from '$lib/i18n/i18n.svelte';
import { ActionState } from './action-state.svelte';

const ko = new I18n('ko').t;

describe('ActionState', () => {
  it('is busy while an action runs and not after it succeeds', async () => {
    const actions = new ActionState(ko);
    let finish = () => {};
    const running = actions.run(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(actions.busy).toBe(true);
    finish();
    expect(await running).toBe(true);
    expect(actions.busy).toBe(false);
    expect(actions.error).toBeNull();
  });

  it('turns a server error into the reader’s language instead of throwing it, and clears it on the next run', async () => {
    const actions = new ActionState(ko);
    const ok = await actions.run(async () => {
      throw new ClientError('conflict', 'Sold out.', { reason: 'sold_out' });
    });
    expect(ok).toBe(false);
    expect(actions.busy).toBe(false);
    expect(actions.error).toBe('품절되었습니다.');
    await actions.run(async () => {});
    expect(actions.error).toBeNull();
  });

  it('never shows the text of an unexpected error', async () => {
    const actions = new ActionState(ko);
    await actions.run(async () => {
      throw new TypeError('Cannot read properties of undefined');
    });
    expect(actions.error).toBe(new I18n('ko').t('errors.generic'));
  });

  it('shows a message of the component’s own until the next run', async () => {
    const actions = new ActionState(ko);
    actions.fail('금액을 확인하세요.');
    expect(actions.error).toBe('금액을 확인하세요.');
    await actions.run(async () => {});
    expect(actions.error).toBeNull();
  });
});
