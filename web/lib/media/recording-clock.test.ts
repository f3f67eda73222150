import { describe, expect, it } from 'vitest';
import { clockOf } from './recording-clock';

describe('clockOf', () => {
  it('says a place in the recording as m:ss, with hours when there are any', () => {
    expect(clockOf(0)).toBe('0:00');
    expect(clockOf(65_400)).toBe('1:05');
    expect(clockOf(3_725_000)).toBe('1:02:05');
    expect(clockOf(4_503_000)).toBe('1:15:03');
  });
});
