// What the UI offers, by role and status: the same table as the server
// (pkg/auth/roles.go, README). The server still decides; a 403 is handled
// like any other error.
import type { EntryType, Role, Status } from '../api/types';

export type Action = 'save' | 'submit' | 'publish' | 'schedule' | 'unschedule' | 'unpublish' | 'archive' | 'trash';

export interface Actor {
  id: number;
  role: Role;
}

export interface EntryState {
  status: Status;
  authorId: number | null;
  trashed: boolean;
}

const AUTHOR_EDITABLE: Status[] = ['draft', 'in_review'];

export function canRead(role: Role, type: EntryType): boolean {
  return type === 'post' ? true : role !== 'author';
}

export function canCreate(role: Role, type: EntryType): boolean {
  if (role === 'admin' || role === 'editor') return true;
  return type === 'post' ? role === 'author' : role === 'marketer';
}

/** canEdit: may the actor change this entry's fields (and trash it)? */
export function canEdit(a: Actor, type: EntryType, e: EntryState | null): boolean {
  if (e?.trashed) return false;
  if (a.role === 'admin' || a.role === 'editor') return true;
  if (type === 'case_study') return a.role === 'marketer';
  if (a.role !== 'author') return false;
  if (e === null) return true; // a new post
  return e.authorId === a.id && AUTHOR_EDITABLE.includes(e.status);
}

function canPublish(role: Role, type: EntryType): boolean {
  if (role === 'admin' || role === 'editor') return true;
  return type === 'case_study' && role === 'marketer';
}

/** From which statuses each workflow action may start (pkg/content/workflow.go). */
export const FROM: Record<Exclude<Action, 'save' | 'trash'>, Status[]> = {
  submit: ['draft'],
  publish: ['draft', 'in_review', 'scheduled'],
  schedule: ['draft', 'in_review'],
  unschedule: ['scheduled'],
  unpublish: ['published', 'archived'],
  archive: ['published'],
};

/** actions lists what the actor may do to the entry now, in toolbar order. */
export function actions(a: Actor, type: EntryType, e: EntryState | null): Action[] {
  const out: Action[] = [];
  if (!canEdit(a, type, e)) return out;
  out.push('save');
  if (e === null) return out;
  for (const act of ['submit', 'publish', 'schedule', 'unschedule', 'unpublish', 'archive'] as const) {
    if (!FROM[act].includes(e.status)) continue;
    if (act === 'submit' || canPublish(a.role, type)) out.push(act);
  }
  out.push('trash');
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
