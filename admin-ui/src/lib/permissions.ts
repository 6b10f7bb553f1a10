// What the UI offers, as the server says: it copies no role table. For an
// entry, what this user may do to it now is its `allowed_actions` (the
// server's one permission check and the workflow): the toolbar, the lists,
// bulk actions and the trash read that. What needs no entry (may the user
// see or create a type at all, upload, manage users) is the `permissions`
// of the sign-in answer: the role's permissions and how far each reaches.
// The server decides either way; a 403 is handled like any other error.
import type { AllowedAction, EntryType, Permissions, Role, Status } from '../api/types';

export type Action = 'save' | 'submit' | 'publish' | 'schedule' | 'unschedule' | 'unpublish' | 'archive' | 'trash';

/** What the UI needs to know of an entry to offer actions on it. */
export interface Actionable {
  allowed_actions: readonly AllowedAction[];
}

/** The name each entry type's permissions start with (pkg/auth/roles.go: posts.read, case_studies.create, …). */
const PERMS_OF: Record<EntryType, string> = { post: 'posts', case_study: 'case_studies', page: 'pages' };

/** can: does the user's role hold permission p (on some records at least)? */
export function can(perms: Permissions, p: string): boolean {
  return perms[p] === 'any' || perms[p] === 'own';
}

export function canRead(perms: Permissions, type: EntryType): boolean {
  return can(perms, `${PERMS_OF[type]}.read`);
}

export function canCreate(perms: Permissions, type: EntryType): boolean {
  return can(perms, `${PERMS_OF[type]}.create`);
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
 * mediaRights: what the user may do to a media item, from the permissions
 * (pkg/auth/roles.go): a permission that reaches only the user's own items
 * (an author's media.update) applies to the items they uploaded. `own`:
 * did this user upload the item?
 */
export function mediaRights(perms: Permissions, own: boolean): MediaRights {
  const reaches = (p: string) => perms[p] === 'any' || (perms[p] === 'own' && own);
  return { upload: can(perms, 'media.upload'), edit: reaches('media.update'), delete: reaches('media.delete'), force: reaches('media.force_delete') };
}
