import { describe, expect, it } from 'vitest';
import { EntryTabs, type Channel } from '../src/lib/tabs';

/** A bus of fake channels: what one posts, the others receive (as BroadcastChannel does). */
function bus() {
  const members: Array<(e: MessageEvent) => void> = [];
  return (): Channel => {
    let mine: ((e: MessageEvent) => void) | null = null;
    return {
      postMessage: (m) => members.filter((f) => f !== mine).forEach((f) => f({ data: structuredClone(m) } as MessageEvent)),
      addEventListener: (_t, fn) => {
        mine = fn;
        members.push(fn);
      },
      removeEventListener: (_t, fn) => members.splice(members.indexOf(fn), 1),
    };
  };
}

describe('EntryTabs', () => {
  it('counts the other tabs with the same entry, and hears their saves', () => {
    const channel = bus();
    const seen: number[] = [];
    const a = new EntryTabs(channel(), 'post:1', { saved: (v) => seen.push(v) });
    const b = new EntryTabs(channel(), 'post:1');
    const other = new EntryTabs(channel(), 'post:2');
    expect(a.others).toBe(1);
    expect(b.others).toBe(1);
    expect(other.others).toBe(0);
    b.saved(7);
    expect(seen).toEqual([7]);
    expect(a.versions.has(7)).toBe(true);
    b.close();
    expect(a.others).toBe(0);
  });
});
