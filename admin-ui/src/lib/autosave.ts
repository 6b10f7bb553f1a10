// Autosave timing: save after a short pause in typing (and at least every
// maxWait while typing goes on), never two saves at once, retry with
// back-off while offline, stop on a conflict until it is resolved.

/** waiting: nothing could be saved yet, and that is no error (a new entry without a title). */
export type SaveOutcome = 'saved' | 'offline' | 'conflict' | 'error' | 'waiting';
/** new: nothing typed in a new entry yet, so nothing is saved (and the status never says Saved). */
export type AutosaveStatus = 'new' | 'saved' | 'dirty' | 'saving' | 'offline' | 'conflict' | 'error' | 'waiting';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(t: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface AutosaveOptions {
  /** Quiet time after the last change before saving (ms). */
  delay?: number;
  /** Longest time a change waits while typing goes on (ms). */
  maxWait?: number;
  /** Waits between retries while offline (ms); the last repeats. */
  backoff?: number[];
  /** Saves the current state; resolves how it went. Called one at a time. */
  save: () => Promise<SaveOutcome>;
  onStatus?: (s: AutosaveStatus) => void;
  timers?: Timers;
  /** The status before any change: 'saved' (an entry as loaded) or 'new'. */
  initial?: AutosaveStatus;
}

export class Autosaver {
  status: AutosaveStatus = 'saved';
  private readonly delay: number;
  private readonly maxWait: number;
  private readonly backoff: number[];
  private readonly t: Timers;
  private timer: unknown = null;
  private firstChange: number | null = null;
  private running: Promise<void> | null = null;
  private changedSinceStart = false;
  private dirty = false;
  private retries = 0;
  private paused = false;
  private disposed = false;

  constructor(private opts: AutosaveOptions) {
    // Short enough that a save over a slow network (2 s of latency) is done
    // within 3 s of the last key; saves are small (splices), so this costs little.
    this.delay = opts.delay ?? 600;
    this.maxWait = opts.maxWait ?? 10_000;
    this.backoff = opts.backoff ?? [2000, 5000, 10_000, 30_000];
    this.t = opts.timers ?? realTimers;
    this.status = opts.initial ?? 'saved';
  }

  /** hasUnsaved says whether something typed is not on the server yet. */
  get hasUnsaved(): boolean {
    return this.dirty || this.running !== null;
  }

  /** busy: a save is under way. */
  get busy(): boolean {
    return this.running !== null;
  }

  private set(s: AutosaveStatus) {
    if (this.status !== s) {
      this.status = s;
      this.opts.onStatus?.(s);
    }
  }

  /** change records an edit and (re)starts the pause timer. */
  change(): void {
    if (this.disposed) return;
    this.dirty = true;
    if (this.running) this.changedSinceStart = true;
    if (this.status === 'saved' || this.status === 'error' || this.status === 'new' || this.status === 'waiting') this.set('dirty');
    if (this.paused) return;
    const now = this.t.now();
    if (this.firstChange === null) this.firstChange = now;
    const wait = Math.max(0, Math.min(this.delay, this.firstChange + this.maxWait - now));
    if (this.status === 'offline') return; // the retry timer is running; it will save this too
    this.schedule(wait);
  }

  private schedule(ms: number) {
    if (this.timer !== null) this.t.clear(this.timer);
    this.timer = this.t.set(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  /** flush saves now (Ctrl+S, leaving the page); resolves when done. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.t.clear(this.timer);
      this.timer = null;
    }
    if (this.running) await this.running;
    if (this.dirty && !this.paused) await this.run();
  }

  private run(): Promise<void> {
    if (this.disposed || this.paused) return Promise.resolve();
    if (this.running) {
      this.changedSinceStart = true;
      return this.running;
    }
    if (!this.dirty) return Promise.resolve();
    this.firstChange = null;
    this.dirty = false;
    this.changedSinceStart = false;
    this.set('saving');
    this.running = (async () => {
      let out: SaveOutcome;
      try {
        out = await this.opts.save();
      } catch {
        out = 'error';
      }
      this.running = null;
      if (this.disposed) return;
      if (out !== 'saved' || this.changedSinceStart) this.dirty = true;
      switch (out) {
        case 'saved':
          this.retries = 0;
          if (this.dirty) {
            this.set('dirty');
            this.schedule(this.delay);
          } else {
            this.set('saved');
          }
          break;
        case 'offline': {
          const wait = this.backoff[Math.min(this.retries, this.backoff.length - 1)];
          this.retries++;
          this.set('offline');
          this.schedule(wait);
          break;
        }
        case 'conflict':
          this.paused = true;
          this.set('conflict');
          break;
        case 'error':
          this.set('error');
          break;
        case 'waiting':
          this.set('waiting'); // the next change tries again
          break;
      }
    })();
    return this.running;
  }

  /** online: the browser is back online; retry at once. */
  online(): void {
    if (this.status === 'offline') {
      this.retries = 0;
      void this.flush();
    }
  }

  /** pause stops saving (a dialog is open); resume starts again. */
  pause(): void {
    this.paused = true;
    if (this.timer !== null) this.t.clear(this.timer);
    this.timer = null;
  }

  resume(dirty: boolean): void {
    this.paused = false;
    this.dirty = dirty;
    if (dirty) {
      this.set('dirty');
      this.schedule(0);
    } else {
      this.set('saved');
    }
  }

  /** markSaved: something else saved the current state (a PUT, an action). */
  markSaved(): void {
    if (this.timer !== null) this.t.clear(this.timer);
    this.timer = null;
    this.dirty = false;
    this.firstChange = null;
    this.retries = 0;
    if (!this.paused) this.set('saved');
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.t.clear(this.timer);
    this.timer = null;
  }
}

export function statusText(s: AutosaveStatus, detail = ''): string {
  switch (s) {
    case 'new':
      return 'Not saved yet';
    case 'waiting':
      return detail || 'Not saved yet';
    case 'saved':
      return 'Saved';
    case 'dirty':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'offline':
      return 'Offline — kept on this device';
    case 'conflict':
      return 'Not saved: someone else saved a newer version';
    case 'error':
      return detail ? `Not saved: ${detail}` : 'Not saved';
  }
}
