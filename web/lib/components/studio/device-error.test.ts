import { describe, expect, it } from 'vitest';
import { I18n } from '$lib/i18n/i18n.svelte';
import { deviceErrorKey } from './device-error';

const names = ['NotAllowedError', 'NotFoundError', 'NotReadableError', 'OverconstrainedError', 'AbortError', 'SecurityError', 'TypeError'];

describe('deviceErrorKey', () => {
  it('tells a refused permission, a missing device, a busy one and a vanished one apart', () => {
    const key = (name: string) => deviceErrorKey(new DOMException('Permission denied', name), true);
    expect(key('NotAllowedError')).toBe('studio.deviceError.denied');
    expect(key('NotFoundError')).toBe('studio.noDevices');
    expect(key('NotReadableError')).toBe('studio.deviceError.inUse');
    expect(key('OverconstrainedError')).toBe('studio.deviceError.unavailable');
  });

  it('falls back to a generic line for an error it does not know, and names an insecure page first', () => {
    expect(deviceErrorKey(new TypeError('Cannot read properties of undefined'), true)).toBe('studio.deviceError.generic');
    expect(deviceErrorKey('weird', true)).toBe('studio.deviceError.generic');
    expect(deviceErrorKey(new TypeError('mediaDevices is undefined'), false)).toBe('studio.deviceError.insecure');
  });

  it.each(['en', 'ko', 'zh'] as const)('has every message in %s, with none of the browser’s English', (locale) => {
    const t = new I18n(locale).t;
    const texts = [...names.map((n) => t(deviceErrorKey(new DOMException('Requested device not found', n), true))), t(deviceErrorKey(null, false))];
    for (const text of texts) {
      expect(text).not.toMatch(/^studio\./);
      expect(text).not.toMatch(/denied|not found|Requested/);
    }
    expect(new Set(texts).size).toBe(6);
  });
});
