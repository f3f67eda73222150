import { describe, expect, it } from 'vitest';
import { ClientError } from '$lib/client-error';
import { I18n } from '$lib/i18n/i18n.svelte';
import { FormError } from './form-error.svelte';

const t = new I18n('en').t;
const invalid = (field: string) => new ClientError('bad_request', `${field}: Use MM/YY.`, { reason: 'invalid_input', field });

describe('a form’s error', () => {
  it('sits under the input the server named, marking it invalid, and not in the general alert', () => {
    const error = new FormError('pay', ['card.number', 'card.expiry']);
    error.show(invalid('card.expiry'), t);
    expect(error.at('card.expiry')).toBe('Check the expiry date.');
    expect(error.at('card.number')).toBeNull();
    expect(error.general).toBeNull();
    expect(error.attrs('card.expiry')).toEqual({ 'aria-invalid': 'true', 'aria-describedby': 'pay-card-expiry-error' });
    expect(error.attrs('card.number')).toEqual({});
  });

  it('is the general alert when it names no input, or one the form does not show', () => {
    const error = new FormError('pay', ['card.number']);
    error.show(new ClientError('payment_failed', 'The card was declined.', { reason: 'declined' }), t);
    expect(error.general).toBe('Your card was declined. Try another card.');
    expect(error.at('card.number')).toBeNull();
    error.show(invalid('orderIds'), t);
    expect(error.general).toBe('Check what you entered.');
    error.show(new Error('boom'), t);
    expect(error.general).toBe('Something went wrong. Please try again.');
  });

  it('clears for the next submit', () => {
    const error = new FormError('pay', ['card.cvc']);
    error.show(invalid('card.cvc'), t);
    error.clear();
    expect([error.general, error.at('card.cvc'), error.attrs('card.cvc')]).toEqual([null, null, {}]);
  });
});
