// The editor's state and its "never lose a word" machinery, shared by the
// post and case-study editors: load, autosave (PATCH with the version), an
// explicit save (PUT), a copy on this device, conflicts, workflow actions.
// The pieces with rules of their own are plain modules with unit tests:
// autosave.ts (timing), backup.ts (the copy), merge.ts / diff.ts (conflicts),
// slug.ts (slug following), permissions.ts (what is offered).
import { ApiError, describe, fieldErrors } from '../api/errors';
import { EntriesApi, type AnyEdit, type AnyFull, type Kind } from '../api/entries';
import { Autosaver, type AutosaveStatus, type SaveOutcome } from './autosave';
import { BackupStore, BackupWriter, backupKey, offer, type Aside, type Backup } from './backup';
import { changedKeys, equal, mergeFields, mergePatch } from './merge';
import { actions as allowedActions, type Action } from './permissions';
import { everPublished, SlugFollower } from './slug';
import { client, messages, navigate, setGuard, session } from './app.svelte';

export const entries = new EntriesApi(client);

export interface ConflictState<F> {
  by: string;
  at: string | null;
  version: number;
  mine: F;
  theirs: F;
  base: F;
  theirsEntry: AnyFull;
  changed: string[];
}

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

  /** What the server has (as last saved or loaded): the base of the next patch. */
  private saved: F;
  private version: number | null = null;
  private explicit = false;
  readonly slug: SlugFollower;
  private autosaver: Autosaver;
  private store = new BackupStore(storage());
  private writer: BackupWriter<F>;
  private cleanup: Array<() => void> = [];

  constructor(kind: Kind<F, AnyFull>, id: number | null) {
    this.kind = kind;
    this.id = id;
    this.fields = kind.empty();
    this.saved = kind.empty();
    this.slug = new SlugFollower('', '');
    this.writer = new BackupWriter<F>(this.store, backupKey(kind.type, id ?? 'new'));
    this.autosaver = new Autosaver({
      save: () => this.saveOnce(),
      onStatus: (s) => this.onStatus(s),
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
    };
    const online = () => this.autosaver.online();
    window.addEventListener('beforeunload', beforeUnload);
    window.addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', hide);
    window.addEventListener('online', online);
    this.cleanup.push(() => {
      window.removeEventListener('beforeunload', beforeUnload);
      window.removeEventListener('pagehide', hide);
      document.removeEventListener('visibilitychange', hide);
      window.removeEventListener('online', online);
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
    setGuard(null);
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
          this.errors = { title: 'Give it a title to save it.' };
          this.message = 'Give it a title to save it (what you type is kept on this device meanwhile).';
          return 'error';
        }
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
          e = await entries.patch<AnyFull>(this.kind, this.id, version, patch);
        }
        this.applyEntry(e);
        this.saved = cur;
      }
      this.errors = {};
      this.message = '';
      return 'saved';
    } catch (err) {
      return this.saveFailed(err, cur);
    }
  }

  private async saveFailed(err: unknown, mine: F): Promise<SaveOutcome> {
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
      this.message = err.details.length ? 'Some fields need attention before this can be saved.' : err.message;
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
    this.conflict = {
      by: info?.updated_by?.name ?? 'Folio',
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
      this.message = '';
      this.errors = {};
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_transition') {
        this.message = `${err.message} Reloaded the current status.`;
        try {
          this.applyEntry(await entries.get<AnyFull>(this.kind, this.id));
        } catch {
          // keep the message
        }
      } else {
        this.errors = { ...this.errors, ...fieldErrors(err) };
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
    this.fields = this.kind.fromFull(e);
    this.saved = this.kind.fromFull(e);
    this.autosaver.markSaved();
    this.writer.clear();
  }

  allowed(): Action[] {
    const u = session.user;
    if (!u) return [];
    const e = this.entry;
    return allowedActions(
      { id: u.id, role: u.role },
      this.kind.type,
      e ? { status: e.status, authorId: e.author?.id ?? null, trashed: !!e.trashed_at } : null,
    );
  }
}
