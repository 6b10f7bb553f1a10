/** MemoryStorage is a Storage in memory, optionally with a size limit (to test a full quota). */
export class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  constructor(private limit = Infinity) {}
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.has(k) ? this.m.get(k)! : null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    const size = [...this.m.entries()].reduce((n, [a, b]) => (a === k ? n : n + a.length + b.length), 0) + k.length + v.length;
    if (size > this.limit) throw new DOMException('full', 'QuotaExceededError');
    this.m.set(k, String(v));
  }
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

export const flush = () => new Promise<void>((r) => queueMicrotask(r));
