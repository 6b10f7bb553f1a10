// What the UI offers. For an entry, the server says what this user may do
// to it now (`allowed_actions`, from its one permission check and the
// workflow): the toolbar, the lists, bulk actions and the trash read that
// and copy no role table. What needs no entry (may this role create or see
// a type at all, the media rights) is still decided here, from the role as
// README's table gives it. The server decides either way; a 403 is handled
// like any other error.
import type { AllowedAction, EntryType, Role, Status } from '../api/types';

export type Action = 'save' | 'submit' | 'publish' | 'schedule' | 'unschedule' | 'unpublish' | 'archive' | 'trash';

/** What the UI needs to know of an entry to offer actions on it. */
export interface Actionable {
  allowed_actions: readonly AllowedAction[];
}

export function canRead(role: Role, type: EntryType): boolean {
  return type === 'post' ? true : role !== 'author';
}

export function canCreate(role: Role, type: EntryType): boolean {
  if (role === 'admin' || role === 'editor') return true;
  return type === 'post' ? role === 'author' : role === 'marketer';
}

/** may: does the entry's allowed_actions list this action? */
export function may(e: Actionable | null | undefined, a: AllowedAction): boolean {
  return !!e && e.allowed_actions.includes(a);
}

/** canEdit: may the user change this entry's fields (the server's "update")? */
export function canEdit(e: Actionable | null | undefined): boolean {
  return may(e, 'update');
}

/** The editor's names for the server's actions (restore and purge belong to the trash). */
const EDITOR_ACTION: Partial<Record<AllowedAction, Action>> = {
  update: 'save',
  submit: 'submit',
  publish: 'publish',
  schedule: 'schedule',
  unschedule: 'unschedule',
  unpublish: 'unpublish',
  archive: 'archive',
  delete: 'trash',
};

/** actions lists what the editor offers for the entry, in the server's (toolbar) order. */
export function actions(e: Actionable): Action[] {
  const out: Action[] = [];
  for (const a of e.allowed_actions) {
    const ui = EDITOR_ACTION[a];
    if (ui && !out.includes(ui)) out.push(ui);
  }
  return out;
}

export function isAdmin(role: Role | undefined): boolean {
  return role === 'admin';
}

/** home is where a role lands after signing in. */
export function home(role: Role): string {
  return role === 'marketer' ? 'case-studies' : '';
}

export const STATUS_LABEL: Record<Status, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  archived: 'Archived',
};

export const ACTION_LABEL: Record<Action, string> = {
  save: 'Save',
  submit: 'Submit for review',
  publish: 'Publish',
  schedule: 'Schedule',
  unschedule: 'Unschedule',
  unpublish: 'Unpublish',
  archive: 'Archive',
  trash: 'Move to trash',
};

export interface MediaRights {
  upload: boolean;
  /** Change the alt text and caption. */
  edit: boolean;
  delete: boolean;
  /** Delete an item that content uses (removing it from covers and logos). */
  force: boolean;
}

/**
 * mediaRights: what the role may do to a media item (pkg/auth/roles.go):
 * admins everything; editors and marketers upload, edit and delete, but
 * never delete what is in use; authors upload and edit the text of their
 * own items. `own`: did this user upload the item?
 */
export function mediaRights(role: Role, own: boolean): MediaRights {
  switch (role) {
    case 'admin':
      return { upload: true, edit: true, delete: true, force: true };
    case 'editor':
    case 'marketer':
      return { upload: true, edit: true, delete: true, force: false };
    case 'author':
      return { upload: true, edit: own, delete: false, force: false };
    default:
      return { upload: false, edit: false, delete: false, force: false };
  }
}
