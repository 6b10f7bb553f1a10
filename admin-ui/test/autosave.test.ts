import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, statusText, type AutosaveStatus, type SaveOutcome } from '../src/lib/autosave';
import { deferred } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(outcomes: Array<SaveOutcome | Promise<SaveOutcome>> = [], opts = {}) {
  const statuses: AutosaveStatus[] = [];
  const save = vi.fn(() => Promise.resolve(outcomes.length ? outcomes.shift()! : 'saved'));
  const a = new Autosaver({ delay: 1000, maxWait: 5000, backoff: [2000, 4000], save, onStatus: (s) => statuses.push(s), ...opts });
  return { a, save, statuses };
}

describe('Autosaver', () => {
  it('saves after a pause in typing, not while typing', async () => {
    const { a, save } = setup();
    a.change();
    await vi.advanceTimersByTimeAsync(600);
    a.change();
    await vi.advanceTimersByTimeAsync(600);
    a.change();
    await vi.advanceTimersByTimeAsync(900);
    expect(save).not.toHaveBeenCalled();
    expect(a.status).toBe('dirty');
    await vi.advanceTimersByTimeAsync(100);
    expect(save).toHaveBeenCalledTimes(1);
    expect(a.status).toBe('saved');
    expect(a.hasUnsaved).toBe(false);
  });

  it('saves at least every maxWait while typing goes on', async () => {
    const { a, save } = setup();
    for (let t = 0; t < 5200; t += 400) {
      a.change();
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('never runs two saves at once; edits during a save are saved next', async () => {
    const first = deferred<SaveOutcome>();
    const { a, save, statuses } = setup([first.promise, 'saved']);
    a.change();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(1);
    expect(a.status).toBe('saving');
    a.change(); // typed while saving
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1); // still waiting for the first
    first.resolve('saved');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.status).toBe('dirty');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
    expect(a.status).toBe('saved');
    expect(statuses).toEqual(['dirty', 'saving', 'dirty', 'saving', 'saved']);
  });

  it('offline: says so, retries with back-off, and at once when back online', async () => {
    const { a, save } = setup(['offline', 'offline', 'offline', 'saved']);
    a.change();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.status).toBe('offline');
    expect(statusText(a.status)).toBe('Offline — kept on this device');
    await vi.advanceTimersByTimeAsync(1999);
    expect(save).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(2);
    a.change(); // typing while offline does not reset the retry timer
    await vi.advanceTimersByTimeAsync(3999);
    expect(save).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(3);
    a.online();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(4);
    expect(a.status).toBe('saved');
  });

  it('a conflict stops autosaving until it is resolved', async () => {
    const { a, save } = setup(['conflict', 'saved']);
    a.change();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.status).toBe('conflict');
    a.change();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledTimes(1);
    expect(a.hasUnsaved).toBe(true);
    a.resume(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(2);
    expect(a.status).toBe('saved');
  });

  it('an error waits for the next change (no retry loop)', async () => {
    const { a, save } = setup(['error', 'saved']);
    a.change();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.status).toBe('error');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledTimes(1);
    a.change();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
    expect(a.status).toBe('saved');
  });

  it('flush saves at once (Ctrl+S) and waits for a save in flight first', async () => {
    const first = deferred<SaveOutcome>();
    const { a, save } = setup([first.promise, 'saved']);
    a.change();
    await vi.advanceTimersByTimeAsync(1000);
    a.change();
    const done = a.flush();
    expect(save).toHaveBeenCalledTimes(1);
    first.resolve('saved');
    await done;
    expect(save).toHaveBeenCalledTimes(2);
    expect(a.status).toBe('saved');
  });

  it('flush with nothing to save does nothing', async () => {
    const { a, save } = setup();
    await a.flush();
    expect(save).not.toHaveBeenCalled();
  });

  it('a failing save function counts as an error, not a crash', async () => {
    const a = new Autosaver({ delay: 10, save: () => Promise.reject(new Error('boom')) });
    a.change();
    await vi.advanceTimersByTimeAsync(10);
    expect(a.status).toBe('error');
    expect(a.hasUnsaved).toBe(true);
  });
});
