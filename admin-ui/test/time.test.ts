import { describe, expect, it } from 'vitest';
import { fromLocalInput, relative, toLocalInput } from '../src/lib/time';

describe('date-time picker values', () => {
  it('reads the local wall time as UTC, and back (TZ=America/New_York)', () => {
    process.env.TZ = 'America/New_York';
    expect(fromLocalInput('2031-06-15T09:30')).toBe('2031-06-15T13:30:00Z'); // EDT, UTC-4
    expect(fromLocalInput('2031-01-15T09:30')).toBe('2031-01-15T14:30:00Z'); // EST, UTC-5
    expect(toLocalInput('2031-06-15T13:30:00Z')).toBe('2031-06-15T09:30');
    expect(fromLocalInput('not a date')).toBeNull();
    process.env.TZ = 'UTC';
  });
  it('says how far away a time is', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(relative('2026-01-01T15:00:00Z', now)).toBe('in 3 hours');
    expect(relative('2026-01-01T11:55:00Z', now)).toBe('5 minutes ago');
  });
});
