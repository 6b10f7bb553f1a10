// The editor's state and its "never lose a word" machinery, shared by the
// post and case-study editors: load, autosave (PATCH with the version), an
// explicit save (PUT), a copy on this device, conflicts, workflow actions.
// The pieces with rules of their own are plain modules with unit tests:
// autosave.ts (timing), backup.ts (the copy), merge.ts / diff.ts (conflicts),
// slug.ts (slug following), permissions.ts (what is offered).
import { ApiError, describe, fieldErrors } from '../api/errors';
import { problems, type Problem } from './fieldErrors';
import { EntriesApi, type AnyEdit, type AnyFull, type Kind } from '../api/entries';
import { Autosaver, type AutosaveStatus, type SaveOutcome } from './autosave';
import { BackupStore, BackupWriter, backupKey, offer, type Aside, type Backup } from './backup';
import { changedKeys, equal, mergeFields, mergePatch, mergeRemote } from './merge';
import { EntryTabs, editorChannel } from './tabs';
import { applySplice, spliceOf, SPLICE_FROM, type Splice } from './splice';
import { actions as entryActions, canCreate, type Action } from './permissions';
import { everPublished, SlugFollower } from './slug';
import { client, messages, navigate, setGuard, session } from './app.svelte';

export const entries = new EntriesApi(client);

export interface ConflictState<F> {
  by: string;
  /** The newer version is the user's own, saved in another tab. */
  self: boolean;
  at: string | null;
  version: number;
  mine: F;
  theirs: F;
  base: F;
  theirsEntry: AnyFull;
  changed: string[];
}

/** A newer version, saved elsewhere, that changed fields the user is changing too. */
export interface RemoteChange {
  by: string;
  version: number;
  fields: string[];
}

/** How often an open editor asks whether the entry changed (while the tab is visible). */
export const WATCH_EVERY = 15_000;

export interface RestoreOffer<F> {
  kind: 'restore' | 'merge';
  backup: Backup<F>;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class EditorModel<F extends AnyEdit> {
  readonly kind: Kind<F, AnyFull>;
  id = $state<number | null>(null);
  fields = $state<F>() as F;
  entry = $state<AnyFull | null>(null);
  loading = $state(true);
  loadError = $state('');
  status = $state<AutosaveStatus>('saved');
  savedAt = $state<number | null>(null);
  errors = $state<Record<string, string>>({});
  message = $state('');
  conflict = $state<ConflictState<F> | null>(null);
  restoreOffer = $state<RestoreOffer<F> | null>(null);
  asides = $state<Aside<F>[]>([]);
  busy = $state<Action | null>(null);
  backupFailed = $state(false);
  /** A new entry cannot be saved yet: it has no title (a quiet hint until the user leaves the text or saves). */
  needsTitle = $state(false);
  /** How many other tabs of this browser have this entry open. */
  otherTabs = $state(0);
  /** A newer version from elsewhere that could not be merged silently (see RemoteChange). */
  remote = $state<RemoteChange | null>(null);
  /** What the last failed save or action said about fields, in words (each links to its field). */
  problems = $state<Problem[]>([]);
  /** Whether to show the problems at once (after Save or an action) or on request (after an autosave). */
  problemsOpen = $state(false);

  /** What the server has (as last saved or loaded): the base of the next patch. */
  private saved: F;
  private version: number | null = null;
  private explicit = false;
  readonly slug: SlugFollower;
  private autosaver: Autosaver;
  private store = new BackupStore(storage());
  private writer: BackupWriter<F>;
  private cleanup: Array<() => void> = [];
  private tabs: EntryTabs | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private checking = false;

  constructor(kind: Kind<F, AnyFull>, id: number | null) {
    this.kind = kind;
    this.id = id;
    this.fields = kind.empty();
    this.saved = kind.empty();
    this.slug = new SlugFollower('', '');
    this.writer = new BackupWriter<F>(this.store, backupKey(kind.type, id ?? 'new'));
    this.status = id === null ? 'new' : 'saved';
    this.autosaver = new Autosaver({
      save: () => this.saveOnce(),
      onStatus: (s) => this.onStatus(s),
      initial: this.status,
    });
    const beforeUnload = (e: BeforeUnloadEvent) => {
      this.writer.flush();
      if (this.unsaved) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    const hide = () => {
      this.writer.flush();
      if (document.visibilityState === 'hidden') void this.autosaver.flush();
      else void this.check(); // back in view: has anything changed meanwhile?
    };
    const online = () => this.autosaver.online();
    const focus = () => void this.check();
    window.addEventListener('beforeunload', beforeUnload);
    window.addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', hide);
    window.addEventListener('online', online);
    window.addEventListener('focus', focus);
    this.cleanup.push(() => {
      window.removeEventListener('beforeunload', beforeUnload);
      window.removeEventListener('pagehide', hide);
      document.removeEventListener('visibilitychange', hide);
      window.removeEventListener('online', online);
      window.removeEventListener('focus', focus);
    });
    // Leaving the editor in the app: changes merely waiting for the pause are
    // saved on the way out; anything that cannot be saved now asks first.
    setGuard(
      () =>
        !this.unsaved ||
        ((this.status === 'dirty' || this.status === 'saving') && this.id !== null) ||
        confirm('Your latest changes are not saved yet. Leave anyway? (A copy stays on this device.)'),
    );
  }

  /** unsaved: is anything typed not on the server yet? */
  get unsaved(): boolean {
    return this.autosaver.hasUnsaved || this.conflict !== null || (this.id === null && !equal($state.snapshot(this.fields), this.kind.empty()));
  }

  get version_(): number | null {
    return this.version;
  }

  dispose() {
    this.writer.flush();
    // Save what is waiting for the pause; the copy on this device stays until
    // the editor opens again and finds the server has the same text.
    if (this.conflict === null && this.id !== null) void this.autosaver.flush();
    this.autosaver.dispose();
    for (const fn of this.cleanup) fn();
    this.stopWatching();
    setGuard(null);
  }

  // ---- what happened elsewhere ----

  /**
   * watch starts asking, every WATCH_EVERY while the tab is visible (and on
   * focus), whether the entry has a newer version; and listens to this
   * browser's other tabs with the same entry open.
   */
  private watch() {
    if (this.id === null || this.watchTimer !== null) return;
    this.watchTimer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.check();
    }, WATCH_EVERY);
    this.tabs = new EntryTabs(editorChannel(), `${this.kind.type}:${this.id}`, {
      others: (n) => (this.otherTabs = n),
      saved: () => void this.check(),
    });
  }

  private stopWatching() {
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.watchTimer = null;
    this.tabs?.close();
    this.tabs = null;
  }

  /**
   * check asks whether the entry changed since the version the editor has
   * (If-None-Match: a 304 costs nothing) and takes a newer version in: its
   * status always, its fields merged with what the user typed when the two
   * changed different fields. Nothing happens while a save is under way.
   */
  async check(): Promise<void> {
    if (this.id === null || this.loading || this.conflict || this.checking || this.autosaver.busy) return;
    const version = this.version;
    this.checking = true;
    try {
      const e = await entries.getIfChanged<AnyFull>(this.kind, this.id, version);
      // A save that started meanwhile wins; its answer is the newer version.
      if (!e || this.version !== version || this.autosaver.busy || this.conflict) return;
      this.takeNewer(e);
    } catch {
      // Offline or signed out: the next check, or the next save, says so.
    } finally {
      this.checking = false;
    }
  }

  private takeNewer(e: AnyFull) {
    if (this.version !== null && e.version <= this.version) return;
    const theirs = this.kind.fromFull(e);
    const base = $state.snapshot(this.saved) as F;
    const mine = $state.snapshot(this.fields) as F;
    const r = mergeRemote(base, mine, theirs);
    const by = this.byName(e.updated_by?.id ?? null, e.updated_by?.name ?? 'Folio', e.version);
    if (r.clash.length) {
      // Both changed the same field: the next save shows both (the conflict dialog).
      this.remote = { by: by.name, version: e.version, fields: r.clash };
      return;
    }
    const before = this.entry;
    this.applyEntry(e);
    this.saved = theirs;
    this.remote = null;
    this.fields = r.fields;
    if (r.mine.length === 0) {
      this.autosaver.markSaved();
      this.writer.clear();
    } else {
      this.touch(); // the user's changes, now on top of the newer version
    }
    if (before && before.status !== e.status) {
      messages.show(`${by.name === 'Folio' ? 'Folio' : by.name} changed the status: ${e.status.replace('_', ' ')}.`, 'info');
    } else if (r.mine.length === 0 || changedKeys(base, theirs).length) {
      messages.show(`Took in version ${e.version}, saved by ${by.name}.`, 'info', undefined, 4000);
    }
  }

  /** Who saved a version, as the user should read it: "you, in another tab" for their own. */
  private byName(userId: number | null, name: string, version: number): { name: string; self: boolean } {
    const me = session.user?.id ?? null;
    if (userId !== null && userId === me) {
      if (this.tabs?.versions.has(version) || this.otherTabs > 0) return { name: 'you, in another tab', self: true };
      return { name: 'you, in another window or on another device', self: true };
    }
    return { name, self: false };
  }

  /** The entry was saved here (a save, an action, a restore): tell the other tabs. */
  private announce() {
    if (this.version !== null) this.tabs?.saved(this.version);
  }

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = '';
    try {
      if (this.id !== null) {
        const e = await entries.get<AnyFull>(this.kind, this.id);
        this.applyEntry(e);
        this.fields = this.kind.fromFull(e);
        this.saved = this.kind.fromFull(e);
      }
      const f = this.fields;
      this.slug.following = new SlugFollower(f.title, f.slug, everPublished(this.entry)).following;
      this.checkBackup();
      this.refreshAsides();
      this.watch();
    } catch (e) {
      this.loadError = describe(e);
    } finally {
      this.loading = false;
    }
  }

  private applyEntry(e: AnyFull) {
    this.entry = e;
    this.version = e.version;
    this.id = e.id;
    // Once live (just published, say), the slug is an address: it stops following the title.
    if (everPublished(e)) this.slug.following = false;
  }

  private checkBackup() {
    const b = this.store.load<F>(this.writer.key);
    const server = this.id === null ? null : { version: this.version ?? 0, fields: this.saved };
    const o = offer(b, server, (x, y) => equal(x, y));
    if (o === 'none' || !b) {
      if (b) this.store.remove(this.writer.key);
      return;
    }
    this.restoreOffer = { kind: o, backup: b };
  }

  restoreBackup() {
    const o = this.restoreOffer;
    if (!o) return;
    this.restoreOffer = null;
    if (o.kind === 'merge') {
      const r = mergeFields(o.backup.base ?? this.saved, o.backup.fields, $state.snapshot(this.saved) as F, this.kind.mergeKinds);
      this.fields = r.merged;
      if (r.conflicts.length) {
        messages.show(`Restored. Someone had also changed ${this.labels(r.conflicts)}; your text was kept there (theirs is in the revisions).`);
      }
    } else {
      this.fields = $state.snapshot(o.backup.fields) as F;
    }
    this.slug.following = false;
    this.touch();
  }

  discardBackup() {
    const o = this.restoreOffer;
    if (!o) return;
    this.restoreOffer = null;
    if (this.id !== null) this.store.setAside(this.kind.type, this.id, o.backup.fields, 'Discarded copy from this device', o.backup.at);
    this.store.remove(this.writer.key);
    this.refreshAsides();
  }

  refreshAsides() {
    this.asides = this.id === null ? [] : this.store.asides<F>(this.kind.type, this.id);
  }

  removeAside(key: string) {
    this.store.remove(key);
    this.refreshAsides();
  }

  /** useAside puts a set-aside version back into the editor (it is then saved as usual). */
  useAside(a: Aside<F>) {
    this.fields = $state.snapshot(a.fields) as F;
    this.slug.following = false;
    this.touch();
  }

  labels(keys: string[]): string {
    return keys.map((k) => this.kind.labels[k] ?? k).join(', ');
  }

  /** touch: the user changed something. Keeps the copy on this device and schedules the autosave. */
  touch() {
    const user = session.user?.id ?? null;
    this.writer.write(() => ({
      v: 1,
      baseVersion: this.version,
      base: $state.snapshot(this.saved) as F,
      fields: $state.snapshot(this.fields) as F,
      at: Date.now(),
      user,
    }));
    this.autosaver.change();
  }

  setTitle(title: string) {
    this.fields.title = title;
    if (title.trim() && this.errors.title) {
      const { title: _, ...rest } = this.errors;
      this.errors = rest;
    }
    const s = this.slug.onTitle(title);
    if (s !== null) this.fields.slug = s;
    this.touch();
  }

  setSlug(value: string) {
    this.fields.slug = this.slug.onSlugInput(value, this.fields.title);
    this.touch();
  }

  private onStatus(s: AutosaveStatus) {
    this.status = s;
    if (s === 'saved') {
      this.savedAt = Date.now();
      if (equal($state.snapshot(this.fields), this.saved)) this.writer.clear();
    }
    if (s === 'offline' || s === 'error' || s === 'conflict') {
      this.writer.flush();
      this.backupFailed = !this.writer.ok;
    }
  }

  /** save is the Save button and Ctrl/Cmd+S: a full save (PUT) now. */
  async save(): Promise<boolean> {
    if (this.conflict) return false;
    this.explicit = true;
    this.autosaver.change();
    await this.autosaver.flush();
    return this.status === 'saved';
  }

  /** One save (called by the Autosaver, one at a time). */
  private async saveOnce(): Promise<SaveOutcome> {
    const explicit = this.explicit;
    this.explicit = false;
    const cur = $state.snapshot(this.fields) as F;
    try {
      if (this.id === null) {
        if (!cur.title.trim()) {
          // Not an error while typing: a quiet hint; the field says it once
          // the user leaves the text or asks to save.
          this.needsTitle = true;
          if (explicit) this.errors = { title: 'Give it a title to save it.' };
          return 'waiting';
        }
        this.needsTitle = false;
        const body = this.kind.toWrite(cur);
        if (this.slug.following) delete body.slug; // the server makes a unique one
        const e = await entries.create<AnyFull>(this.kind, body);
        const oldKey = this.writer.key;
        this.applyEntry(e);
        if (this.slug.following && this.fields.slug !== e.slug) {
          this.fields.slug = e.slug;
          cur.slug = e.slug;
        }
        this.saved = cur;
        this.writer.key = backupKey(this.kind.type, e.id);
        this.store.remove(oldKey);
        this.writer.write(() => ({ v: 1, baseVersion: this.version, base: this.saved, fields: $state.snapshot(this.fields) as F, at: Date.now(), user: session.user?.id ?? null }));
        navigate(`${this.kind.seg}/${e.id}`, { replace: true, force: true });
        this.watch();
      } else {
        const version = this.version ?? 1;
        let e: AnyFull;
        if (explicit) {
          e = await entries.put<AnyFull>(this.kind, this.id, version, this.kind.toWrite(cur));
        } else {
          const patch = mergePatch(this.kind.toWrite(this.saved), this.kind.toWrite(cur));
          if (Object.keys(patch).length === 0) {
            this.errors = {};
            return 'saved';
          }
          e = await this.patchSpliced(version, patch);
        }
        this.applyEntry(e);
        this.saved = cur;
        this.remote = null;
        this.announce();
      }
      this.errors = {};
      this.message = '';
      this.problems = [];
      return 'saved';
    } catch (err) {
      return this.saveFailed(err, cur, explicit);
    }
  }

  /**
   * patchSpliced sends an autosave with its long Markdown fields as splices
   * of the text the server has (the entry as last answered), and rebuilds
   * the entry from the answer's splices. When a splice does not fit (409
   * splice_mismatch) or the answer's splices do not fit what this editor
   * has, it falls back to the whole text, or to a GET.
   */
  private async patchSpliced(version: number, patch: Record<string, unknown>): Promise<AnyFull> {
    const base = this.entry as unknown as Record<string, unknown> | null;
    const splice: Record<string, Splice> = {};
    const sent: Record<string, string> = {};
    for (const field of Object.keys(this.kind.markdown)) {
      const next = patch[field];
      const was = base?.[field];
      if (typeof next !== 'string' || typeof was !== 'string' || next.length + was.length < SPLICE_FROM) continue;
      splice[field] = spliceOf(was, next);
      sent[field] = next;
    }
    if (!Object.keys(splice).length) return entries.patch<AnyFull>(this.kind, this.id!, version, patch);
    const body: Record<string, unknown> = { ...patch, splice };
    for (const f of Object.keys(splice)) delete body[f];
    let data: Record<string, unknown>;
    try {
      data = await entries.patch<AnyFull>(this.kind, this.id!, version, body) as unknown as Record<string, unknown>;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'splice_mismatch') return entries.patch<AnyFull>(this.kind, this.id!, version, patch);
      throw err;
    }
    const splices = data.splices as Record<string, Splice> | undefined;
    if (!splices) return data as unknown as AnyFull;
    const full: Record<string, unknown> = { ...data };
    delete full.splices;
    for (const [key, sp] of Object.entries(splices)) {
      const from = key in sent ? sent[key] : base?.[key];
      const v = typeof from === 'string' ? applySplice(from, sp) : null;
      if (v === null) return entries.get<AnyFull>(this.kind, this.id!); // saved; only the answer did not fit
      full[key] = v;
    }
    return full as unknown as AnyFull;
  }

  private async saveFailed(err: unknown, mine: F, explicit: boolean): Promise<SaveOutcome> {
    if (!(err instanceof ApiError)) {
      this.message = describe(err);
      return 'error';
    }
    if (err.network) return 'offline';
    if (err.conflict) {
      await this.openConflict(err, mine);
      return 'conflict';
    }
    if (err.status === 422 || err.status === 400) {
      this.errors = fieldErrors(err);
      this.problems = problems(err.details, this.kind.labels);
      this.problemsOpen = explicit;
      const n = this.problems.length;
      this.message = n ? (n === 1 ? 'one field needs attention' : `${n} fields need attention`) : err.message;
      return 'error';
    }
    this.message = describe(err);
    return 'error';
  }

  private async openConflict(err: ApiError, mine: F) {
    const info = err.info;
    let theirsEntry: AnyFull;
    try {
      theirsEntry = await entries.get<AnyFull>(this.kind, this.id!);
    } catch (e) {
      this.message = `Someone else saved a newer version, and it could not be loaded: ${describe(e)}`;
      return;
    }
    const theirs = this.kind.fromFull(theirsEntry);
    const by = this.byName(info?.updated_by?.id ?? theirsEntry.updated_by?.id ?? null, info?.updated_by?.name ?? theirsEntry.updated_by?.name ?? 'Folio', info?.current_version ?? theirsEntry.version);
    this.remote = null;
    this.conflict = {
      by: by.name,
      self: by.self,
      at: info?.updated_at ?? theirsEntry.updated_at,
      version: info?.current_version ?? theirsEntry.version,
      mine,
      theirs,
      base: $state.snapshot(this.saved) as F,
      theirsEntry,
      changed: changedKeys(theirs, mine),
    };
  }

  /**
   * resolveConflict: "theirs" takes their version into the editor and sets
   * the user's aside on this device; "mine" merges the user's changes on top
   * of theirs and saves that as a new version.
   */
  async resolveConflict(choice: 'theirs' | 'mine') {
    const c = this.conflict;
    if (!c) return;
    // Anything typed while the dialog was open belongs to "mine" too.
    const mine = $state.snapshot(this.fields) as F;
    this.applyEntry(c.theirsEntry);
    this.saved = c.theirs;
    this.conflict = null;
    if (choice === 'theirs') {
      this.store.setAside(this.kind.type, this.id!, mine, `Your version, set aside when you kept ${c.by}'s`);
      this.refreshAsides();
      this.fields = $state.snapshot(c.theirs) as F;
      this.writer.clear();
      this.autosaver.resume(false);
      messages.show('Kept their version. Yours is set aside on this device (see "Set-aside versions").', 'info');
      return;
    }
    const r = mergeFields(c.base, mine, c.theirs, this.kind.mergeKinds);
    this.fields = r.merged;
    this.explicit = true;
    this.autosaver.resume(true);
    await this.autosaver.flush();
    if (r.conflicts.length) {
      messages.show(`Saved yours on top of theirs. Where you both changed ${this.labels(r.conflicts)}, yours was kept; theirs is in the revisions.`);
    }
  }

  /** A workflow action: saves pending edits first, then asks the server. */
  async act(action: Exclude<Action, 'save' | 'trash'>, body?: Record<string, unknown>): Promise<boolean> {
    if (this.id === null || this.conflict) return false;
    this.busy = action;
    try {
      await this.autosaver.flush();
      if (this.status !== 'saved') {
        this.message ||= 'Save your changes first.';
        return false;
      }
      const e = await entries.action<AnyFull>(this.kind, this.id, action, body);
      this.applyEntry(e);
      this.announce();
      this.message = '';
      this.errors = {};
      this.problems = [];
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_transition') {
        this.message = `${err.message} Reloaded the current status.`;
        try {
          this.applyEntry(await entries.get<AnyFull>(this.kind, this.id));
        } catch {
          // keep the message
        }
      } else if (err instanceof ApiError && err.details.length) {
        this.errors = { ...this.errors, ...fieldErrors(err) };
        this.problems = problems(err.details, this.kind.labels);
        this.problemsOpen = true;
        this.message = err.message;
      } else {
        this.message = describe(err);
      }
      return false;
    } finally {
      this.busy = null;
    }
  }

  async trash(): Promise<boolean> {
    if (this.id === null) return false;
    this.busy = 'trash';
    try {
      await this.autosaver.flush();
      await entries.trash(this.kind, this.id);
      this.autosaver.markSaved();
      this.writer.clear();
      return true;
    } catch (err) {
      this.message = describe(err);
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** After a revision was restored on the server: take it in. */
  adopt(e: AnyFull) {
    this.applyEntry(e);
    this.announce();
    this.fields = this.kind.fromFull(e);
    this.saved = this.kind.fromFull(e);
    this.autosaver.markSaved();
    this.writer.clear();
  }

  /** leftText: the user left a Markdown field; a new entry without a title now says so at the title. */
  leftText() {
    if (this.id === null && this.needsTitle && !this.fields.title.trim()) this.errors = { ...this.errors, title: 'Give it a title to save it.' };
  }

  /** allowed: what the toolbar offers: the entry's allowed_actions; for a new entry, saving it if the role may create one. */
  allowed(): Action[] {
    const u = session.user;
    if (!u) return [];
    if (this.id === null) return canCreate(session.permissions, this.kind.type) ? ['save'] : [];
    return this.entry ? entryActions(this.entry) : [];
  }

}
