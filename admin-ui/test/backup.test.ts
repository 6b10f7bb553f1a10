import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackupStore, BackupWriter, backupKey, offer, type Backup } from '../src/lib/backup';
import { equal } from '../src/lib/merge';
import { MemoryStorage } from './helpers';

type F = { title: string; body: string };
const b = (over: Partial<Backup<F>> = {}): Backup<F> => ({
  v: 1,
  baseVersion: 3,
  base: { title: 'T', body: 'old' },
  fields: { title: 'T', body: 'old and new words' },
  at: 1000,
  user: 1,
  ...over,
});

describe('BackupStore', () => {
  it('keeps, reads back and removes a copy', () => {
    const s = new BackupStore(new MemoryStorage());
    const key = backupKey('post', 12);
    expect(key).toBe('folio:backup:post:12');
    expect(s.save(key, b())).toBe(true);
    expect(s.load<F>(key)).toEqual(b());
    s.remove(key);
    expect(s.load(key)).toBeNull();
  });

  it('says so when the storage is full, and ignores damaged entries', () => {
    const st = new MemoryStorage(50);
    const s = new BackupStore(st);
    expect(s.save('k', b())).toBe(false);
    st.setItem('x', '{not json');
    expect(s.load('x')).toBeNull();
    expect(new BackupStore(null).save('k', b())).toBe(false);
  });

  it('sets versions aside per entry, newest first', () => {
    const s = new BackupStore(new MemoryStorage());
    s.setAside('post', 1, { title: 'a', body: '1' }, 'first', 100);
    s.setAside('post', 1, { title: 'b', body: '2' }, 'second', 200);
    s.setAside('post', 2, { title: 'c', body: '3' }, 'other entry', 300);
    const list = s.asides<F>('post', 1);
    expect(list.map((a) => a.reason)).toEqual(['second', 'first']);
    expect(list[0].fields.body).toBe('2');
  });
});

describe('offer', () => {
  const eq = (x: F, y: F) => equal(x, y);
  it('nothing to offer without a copy, or when the server has the same text', () => {
    expect(offer<F>(null, { version: 3, fields: b().base! }, eq)).toBe('none');
    expect(offer(b(), { version: 4, fields: b().fields }, eq)).toBe('none');
  });
  it('nothing when the copy holds no typing on top of its base', () => {
    expect(offer(b({ fields: { title: 'T', body: 'old' } }), { version: 5, fields: { title: 'X', body: 'y' } }, eq)).toBe('none');
  });
  it('restore when the server is still at the copy’s base version', () => {
    expect(offer(b(), { version: 3, fields: b().base! }, eq)).toBe('restore');
  });
  it('merge when someone saved since', () => {
    expect(offer(b(), { version: 5, fields: { title: 'T2', body: 'old' } }, eq)).toBe('merge');
  });
  it('restore for an entry that was never created', () => {
    expect(offer(b({ baseVersion: null, base: null }), null, eq)).toBe('restore');
  });
});

describe('BackupWriter', () => {
  afterEach(() => vi.useRealTimers());
  it('writes at most once per interval, the latest state, and at once on flush', () => {
    vi.useFakeTimers();
    const st = new MemoryStorage();
    const w = new BackupWriter<F>(new BackupStore(st), 'k', 300);
    let n = 0;
    const make = (body: string) => () => (n++, b({ fields: { title: 'T', body } }));
    w.write(make('a'));
    w.write(make('ab'));
    expect(st.getItem('k')).toBeNull();
    vi.advanceTimersByTime(300);
    expect(JSON.parse(st.getItem('k')!).fields.body).toBe('ab');
    expect(n).toBe(1); // the snapshot is taken once per write, not per keystroke
    w.write(make('abc'));
    w.flush();
    expect(JSON.parse(st.getItem('k')!).fields.body).toBe('abc');
    w.clear();
    expect(st.getItem('k')).toBeNull();
  });
});
