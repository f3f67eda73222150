import { describe, expect, it } from 'vitest';
import { DateRangeLog, dateRangeLine, inEffect, type DateRange } from './date-ranges.ts';
import { parseAttributes } from '../../testing/hls-playlist-reader.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const range = (id: string, at: number, cls = 'com.example.a', attributes: DateRange['attributes'] = {}): DateRange => ({
  id,
  class: cls,
  startDate: at,
  attributes
});

describe('EXT-X-DATERANGE', () => {
  it('writes ID, CLASS, START-DATE, END-ON-NEXT and client attributes, numbers bare and strings quoted', () => {
    const line = dateRangeLine(range('overlay-7', T0 + 250, 'com.hawker.overlay', { 'X-COM-HAWKER-REV': 7, 'X-COM-HAWKER-KIND': 'pin' }));
    expect(line.startsWith('#EXT-X-DATERANGE:')).toBe(true);
    expect(parseAttributes(line.slice('#EXT-X-DATERANGE:'.length))).toEqual({
      ID: 'overlay-7',
      CLASS: 'com.hawker.overlay',
      'START-DATE': '2025-01-01T12:00:00.250Z',
      'END-ON-NEXT': 'YES',
      'X-COM-HAWKER-REV': '7',
      'X-COM-HAWKER-KIND': 'pin'
    });
    expect(line).toContain('X-COM-HAWKER-REV=7,');
  });

  it('refuses what would break the playlist: bad attribute names, quotes, line breaks, non-finite numbers', () => {
    expect(() => dateRangeLine(range('a', T0, 'c', { 'x-lower': 1 }))).toThrow(/attribute name/);
    expect(() => dateRangeLine(range('a', T0, 'c', { 'X-A': 'say "hi"' }))).toThrow(/quoted-string/);
    expect(() => dateRangeLine(range('a\n#EXT-X-ENDLIST', T0))).toThrow(/quoted-string/);
    expect(() => dateRangeLine(range('a', T0, 'c', { 'X-A': Infinity }))).toThrow(/bad value/);
  });

  it('keeps the ranges starting from the given time and the one of each class still in effect then', () => {
    const ranges = [
      range('b', T0 + 1000),
      range('a1', T0 - 9000),
      range('o1', T0 - 1000, 'com.example.other'),
      range('a2', T0 - 5000),
      range('d', T0 + 5500)
    ];
    expect(inEffect(ranges, T0).map((r) => r.id)).toEqual(['a2', 'o1', 'b', 'd']);
    expect(inEffect(ranges, T0 + 2000).map((r) => r.id)).toEqual(['o1', 'b', 'd']);
    expect(inEffect([], T0)).toEqual([]);
  });

  it('announces each ID once and keeps only the newest ranges', () => {
    const log = new DateRangeLog(3);
    for (let i = 1; i <= 5; i++) log.add(range(`r${i}`, T0 + i));
    expect(log.list().map((r) => r.id)).toEqual(['r3', 'r4', 'r5']);
    expect(() => log.add(range('r5', T0 + 9))).toThrow(/already announced/);
    expect(() => log.add(range('bad', T0, 'c', { 'X-A': '"' }))).toThrow();
    expect(log.list().map((r) => r.id)).toEqual(['r3', 'r4', 'r5']);
  });
});
