import { describe, expect, it } from 'vitest';
import { actions, canCreate, canEdit, canRead, home, may, mediaRights } from '../src/lib/permissions';
import type { AllowedAction } from '../src/api/types';

const e = (...allowed_actions: AllowedAction[]) => ({ allowed_actions });

describe('what the UI offers for an entry: its allowed_actions', () => {
  it('the toolbar in the server order, under the editor names', () => {
    expect(actions(e('update', 'submit', 'publish', 'schedule', 'delete', 'purge'))).toEqual(['save', 'submit', 'publish', 'schedule', 'trash']);
    expect(actions(e('update', 'unpublish', 'archive', 'delete'))).toEqual(['save', 'unpublish', 'archive', 'trash']);
  });

  it('an author on a published post: nothing; on their draft: save, submit, trash', () => {
    expect(actions(e())).toEqual([]);
    expect(canEdit(e())).toBe(false);
    expect(actions(e('update', 'submit', 'delete'))).toEqual(['save', 'submit', 'trash']);
    expect(canEdit(e('update', 'submit', 'delete'))).toBe(true);
  });

  it('in the trash: restore and purge belong to the trash screen, not the editor', () => {
    expect(actions(e('restore', 'purge'))).toEqual([]);
    expect(may(e('restore', 'purge'), 'restore')).toBe(true);
    expect(may(e('restore'), 'purge')).toBe(false);
    expect(may(null, 'update')).toBe(false);
  });
});

describe('what needs no entry: by role', () => {
  it('authors write posts only; marketers read posts and write case studies', () => {
    expect(canCreate('author', 'post')).toBe(true);
    expect(canCreate('author', 'case_study')).toBe(false);
    expect(canRead('author', 'case_study')).toBe(false);
    expect(canRead('marketer', 'post')).toBe(true);
    expect(canCreate('marketer', 'post')).toBe(false);
    expect(canCreate('marketer', 'case_study')).toBe(true);
    expect(home('marketer')).toBe('case-studies');
    expect(home('editor')).toBe('');
  });
});

describe('media library rights (pkg/auth/roles.go)', () => {
  it('admins do everything, including deleting what is in use', () => {
    expect(mediaRights('admin', false)).toEqual({ upload: true, edit: true, delete: true, force: true });
  });
  it('editors and marketers upload, edit and delete, but never force', () => {
    for (const role of ['editor', 'marketer'] as const) expect(mediaRights(role, false)).toEqual({ upload: true, edit: true, delete: true, force: false });
  });
  it('authors upload, and edit only the text of their own items', () => {
    expect(mediaRights('author', false)).toEqual({ upload: true, edit: false, delete: false, force: false });
    expect(mediaRights('author', true)).toEqual({ upload: true, edit: true, delete: false, force: false });
  });
});
