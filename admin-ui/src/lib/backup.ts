// A copy of unsaved changes on this device (localStorage), offered back
// after a crash, a reload or a closed tab; and the versions a user set aside
// when they kept someone else's in a conflict.

export interface Backup<F> {
  v: 1;
  /** The version the edit started from (null: not created yet). */
  baseVersion: number | null;
  /** The fields as last saved (or loaded): the base of a three-way merge. */
  base: F | null;
  /** The fields as typed. */
  fields: F;
  /** When it was written (ms since the epoch). */
  at: number;
  user: number | null;
}

export interface Aside<F> {
  key: string;
  fields: F;
  at: number;
  reason: string;
}

export type Offer = 'none' | 'restore' | 'merge';

const PREFIX = 'folio:backup:';
const ASIDE = 'folio:aside:';

export function backupKey(type: string, id: number | 'new'): string {
  return `${PREFIX}${type}:${id}`;
}

export class BackupStore {
  constructor(private storage: Storage | null) {}

  save<F>(key: string, b: Backup<F>): boolean {
    if (!this.storage) return false;
    try {
      this.storage.setItem(key, JSON.stringify(b));
      return true;
    } catch {
      return false; // full or disabled: the status line says so
    }
  }

  load<F>(key: string): Backup<F> | null {
    if (!this.storage) return null;
    try {
      const raw = this.storage.getItem(key);
      if (!raw) return null;
      const b = JSON.parse(raw) as Backup<F>;
      return b && b.v === 1 && b.fields ? b : null;
    } catch {
      return null;
    }
  }

  remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // nothing to do
    }
  }

  /** setAside keeps a version the user chose not to use, so nothing typed is lost. */
  setAside<F>(type: string, id: number, fields: F, reason: string, at = Date.now()): string | null {
    const key = `${ASIDE}${type}:${id}:${at}`;
    try {
      this.storage?.setItem(key, JSON.stringify({ key, fields, at, reason }));
      return key;
    } catch {
      return null;
    }
  }

  asides<F>(type: string, id: number): Aside<F>[] {
    const out: Aside<F>[] = [];
    if (!this.storage) return out;
    const prefix = `${ASIDE}${type}:${id}:`;
    for (let i = 0; i < this.storage.length; i++) {
      const k = this.storage.key(i);
      if (!k?.startsWith(prefix)) continue;
      try {
        out.push(JSON.parse(this.storage.getItem(k) ?? '') as Aside<F>);
      } catch {
        // skip a damaged entry
      }
    }
    return out.sort((a, b) => b.at - a.at);
  }
}

/**
 * offer decides what to do with a backup found when an entry opens: nothing
 * (it holds what the server has), restore it (same base version), or merge
 * it (someone saved since the backup's base).
 */
export function offer<F>(b: Backup<F> | null, server: { version: number; fields: F } | null, equal: (a: F, b: F) => boolean): Offer {
  if (!b) return 'none';
  if (server === null) return 'restore';
  if (equal(b.fields, server.fields)) return 'none';
  if (b.base && equal(b.fields, b.base)) return 'none'; // nothing was typed on top of its base
  if (b.baseVersion === null || b.baseVersion === server.version) return 'restore';
  return 'merge';
}

/** Debounced writer: at most one write per `ms`, and flush() on pagehide. */
export class BackupWriter<F> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: (() => Backup<F>) | null = null;
  ok = true;

  constructor(
    private store: BackupStore,
    public key: string,
    private ms = 300,
  ) {}

  write(make: () => Backup<F>): void {
    this.pending = make;
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.ms);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) {
      this.ok = this.store.save(this.key, this.pending());
      this.pending = null;
    }
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.store.remove(this.key);
  }
}
