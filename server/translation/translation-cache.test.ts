import { describe, expect, it } from 'vitest';
import { TranslationCache } from './translation-cache.ts';

describe('the translation cache', () => {
  it('keys a text by its hash and both languages', () => {
    const k = TranslationCache.key('Hello', 'en', 'es');
    expect(k).toMatch(/^en>es:[\w-]{43}$/);
    expect(k).not.toContain('Hello');
    expect(TranslationCache.key('Hello', 'en', 'ko')).not.toBe(k);
    expect(TranslationCache.key('Hello', 'en', 'es')).toBe(k);
  });

  it('drops the least recently used entry beyond its entry bound', () => {
    const cache = new TranslationCache({ maxEntries: 2, maxBytes: 1e6 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A'); // a is now the most recent
    cache.set('c', 'C');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.size).toBe(2);
  });

  it('drops entries until it fits its byte bound, and keeps none bigger than the bound', () => {
    const cache = new TranslationCache({ maxEntries: 100, maxBytes: 100 });
    cache.set('k1', 'x'.repeat(20)); // (2 + 20) × 2 = 44 bytes
    cache.set('k2', 'y'.repeat(20));
    expect(cache.bytes).toBe(88);
    cache.set('k3', 'z'.repeat(20));
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.bytes).toBe(88);
    cache.set('huge', 'h'.repeat(100));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('replaces an entry without counting it twice', () => {
    const cache = new TranslationCache({ maxEntries: 10, maxBytes: 1000 });
    cache.set('k', 'one');
    cache.set('k', 'three');
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe((1 + 5) * 2);
    expect(cache.get('k')).toBe('three');
  });
});
