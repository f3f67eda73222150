import { describe, expect, it } from 'vitest';
import { routePath } from './api';

describe('routePath', () => {
  it('fills each parameter of a route, escaped', () => {
    expect(routePath('GET /shows/:id/lots', { id: 'a b/c' })).toBe('/shows/a%20b%2Fc/lots');
    expect(routePath('DELETE /shows/:id/chat/bans/:userId', { id: 's1', userId: 'u2' })).toBe('/shows/s1/chat/bans/u2');
    expect(routePath('GET /orders')).toBe('/orders');
  });

  it('refuses a route whose parameter is missing rather than calling the wrong path', () => {
    expect(() => routePath('GET /shows/:id', {} as { id: string })).toThrow(/needs the parameter "id"/);
  });
});
