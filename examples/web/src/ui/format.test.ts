import { describe, expect, it } from 'vitest';
import { count, duration, megabytes, percent } from './format.js';

describe('the page’s number formats', () => {
  it('writes percentages, counts and sizes', () => {
    expect(percent(0.98123)).toBe('98.12%');
    expect(percent(0.5, 1)).toBe('50.0%');
    expect(count(12345.6)).toBe('12\u202f346');
    expect(count(999)).toBe('999');
    expect(count(1_000_000)).toBe('1\u202f000\u202f000');
    expect(megabytes(9_801_223)).toBe('9.8 MB');
  });

  it('writes durations to the precision that matters', () => {
    expect(duration(0.34)).toBe('0.3 s');
    expect(duration(9.94)).toBe('9.9 s');
    expect(duration(9.96)).toBe('10 s');
    expect(duration(59.4)).toBe('59 s');
    expect(duration(185)).toBe('3 min 05 s');
    expect(duration(3720)).toBe('1 h 02 min');
  });
});
