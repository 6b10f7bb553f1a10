// The same entry open in several tabs of one browser: the tabs tell each
// other (BroadcastChannel) when they open and close an entry and when they
// saved a version of it, so that each can say "also open in another tab",
// a tab with nothing typed can take the new version at once, and a conflict
// with one's own other tab is named as such.

export type TabMessage =
  | { t: 'open'; tab: string; key: string }
  | { t: 'here'; tab: string; key: string }
  | { t: 'close'; tab: string; key: string }
  | { t: 'saved'; tab: string; key: string; version: number };

/** The part of BroadcastChannel that EntryTabs uses (a fake one in tests). */
export interface Channel {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
}

export interface EntryTabsEvents {
  /** How many other tabs have the entry open changed. */
  others?: (n: number) => void;
  /** Another tab saved this version of the entry. */
  saved?: (version: number) => void;
}

/** EntryTabs is one open entry's view of the other tabs that have it open. */
export class EntryTabs {
  readonly tab = Math.random().toString(36).slice(2);
  private peers = new Set<string>();
  /** Versions this browser's other tabs saved: a conflict with one of them is "you, in another tab". */
  readonly versions = new Set<number>();
  private readonly onMessage = (e: MessageEvent) => this.receive(e.data as TabMessage);
  // A closed tab (or one put in the back-forward cache) says so; one shown again says it is back.
  private readonly onHide = () => this.send({ t: 'close', tab: this.tab, key: this.key });
  private readonly onShow = (e: PageTransitionEvent) => e.persisted && this.send({ t: 'open', tab: this.tab, key: this.key });

  constructor(
    private channel: Channel | null,
    readonly key: string,
    private events: EntryTabsEvents = {},
  ) {
    channel?.addEventListener('message', this.onMessage);
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', this.onHide);
      window.addEventListener('pageshow', this.onShow);
    }
    this.send({ t: 'open', tab: this.tab, key });
  }

  get others(): number {
    return this.peers.size;
  }

  /** saved tells the other tabs that this one saved version. */
  saved(version: number) {
    this.send({ t: 'saved', tab: this.tab, key: this.key, version });
  }

  close() {
    this.send({ t: 'close', tab: this.tab, key: this.key });
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', this.onHide);
      window.removeEventListener('pageshow', this.onShow);
    }
    this.channel?.removeEventListener('message', this.onMessage);
    this.channel = null;
  }

  private send(m: TabMessage) {
    try {
      this.channel?.postMessage(m);
    } catch {
      // a closed channel: nothing to tell
    }
  }

  private receive(m: TabMessage) {
    if (!m || m.key !== this.key || m.tab === this.tab) return;
    const before = this.peers.size;
    switch (m.t) {
      case 'open':
        this.peers.add(m.tab);
        this.send({ t: 'here', tab: this.tab, key: this.key });
        break;
      case 'here':
        this.peers.add(m.tab);
        break;
      case 'close':
        this.peers.delete(m.tab);
        break;
      case 'saved':
        this.peers.add(m.tab);
        this.versions.add(m.version);
        this.events.saved?.(m.version);
        break;
    }
    if (this.peers.size !== before) this.events.others?.(this.peers.size);
  }
}

/** The browser's channel for editors, or null where there is none. */
export function editorChannel(): Channel | null {
  return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('folio-editors');
}
