import { describe, expect, it } from 'vitest';
import { canTransition, createShowSchema, SHOW_STATUSES, updateShowSchema } from './shows.ts';

describe('show state machine', () => {
  it('allows only scheduled → live → ended (and cancelling a scheduled show)', () => {
    const allowed = SHOW_STATUSES.flatMap((from) => SHOW_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(['live->ended', 'scheduled->ended', 'scheduled->live']);
  });
});

describe('show schemas', () => {
  it('accepts ISO or epoch start times and trims titles', () => {
    expect(createShowSchema.parse({ title: '  Denim  ', scheduledAt: '2026-12-01T10:00:00Z' })).toEqual({
      title: 'Denim', description: '', scheduledAt: Date.parse('2026-12-01T10:00:00Z')
    });
    expect(createShowSchema.parse({ title: 'x', scheduledAt: 1_800_000_000_000 }).scheduledAt).toBe(1_800_000_000_000);
  });

  it('rejects empty titles, absurd lengths and empty updates', () => {
    expect(createShowSchema.safeParse({ title: '   ', scheduledAt: 1 }).success).toBe(false);
    expect(createShowSchema.safeParse({ title: 'x'.repeat(121), scheduledAt: 1 }).success).toBe(false);
    expect(createShowSchema.safeParse({ title: 'ok', scheduledAt: 'tomorrow' }).success).toBe(false);
    expect(updateShowSchema.safeParse({}).success).toBe(false);
  });
});
