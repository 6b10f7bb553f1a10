import { describe, expect, it } from 'vitest';
import { actions, can, canCreate, canEdit, canRead, home, may, mediaRights } from '../src/lib/permissions';
import type { AllowedAction, Permissions } from '../src/api/types';

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

// The sign-in answer's permissions for each role, as the server sends them (TestSignInSaysWhatTheRoleMay).
const media = { 'media.read': 'any', 'media.upload': 'any', 'media.update': 'any', 'media.delete': 'any' } as const;
const cs = (r: 'any') => ({ 'case_studies.read': r, 'case_studies.create': r, 'case_studies.update': r, 'case_studies.delete': r, 'case_studies.submit': r, 'case_studies.publish': r });
const posts = (r: 'any') => ({ 'posts.read': r, 'posts.create': r, 'posts.update': r, 'posts.delete': r, 'posts.submit': r, 'posts.publish': r });
const PERMS: Record<string, Permissions> = {
  admin: { signed_in: 'any', ...posts('any'), ...cs('any'), ...media, 'media.force_delete': 'any', 'content.purge': 'any', 'users.manage': 'any', 'tokens.manage': 'any', 'audit.read': 'any', 'webhooks.manage': 'any' },
  editor: { signed_in: 'any', ...posts('any'), ...cs('any'), ...media },
  marketer: { signed_in: 'any', 'posts.read': 'any', ...cs('any'), ...media },
  author: { signed_in: 'any', 'posts.read': 'any', 'posts.create': 'any', 'posts.update': 'own', 'posts.delete': 'own', 'posts.submit': 'own', 'media.read': 'any', 'media.upload': 'any', 'media.update': 'own' },
};

describe('what needs no entry: the permissions of the sign-in answer', () => {
  it('authors write posts only; marketers read posts and write case studies', () => {
    expect(canCreate(PERMS.author, 'post')).toBe(true);
    expect(canCreate(PERMS.author, 'case_study')).toBe(false);
    expect(canRead(PERMS.author, 'case_study')).toBe(false);
    expect(canRead(PERMS.marketer, 'post')).toBe(true);
    expect(canCreate(PERMS.marketer, 'post')).toBe(false);
    expect(canCreate(PERMS.marketer, 'case_study')).toBe(true);
    expect(canRead({}, 'post')).toBe(false);
    expect(home('marketer')).toBe('case-studies');
    expect(home('editor')).toBe('');
  });

  it('administration is for those who hold its permissions', () => {
    expect(can(PERMS.admin, 'users.manage')).toBe(true);
    expect(can(PERMS.editor, 'users.manage')).toBe(false);
    expect(can(PERMS.editor, 'webhooks.manage')).toBe(false);
  });
});

describe('media library rights, from the permissions', () => {
  it('admins do everything, including deleting what is in use', () => {
    expect(mediaRights(PERMS.admin, false)).toEqual({ upload: true, edit: true, delete: true, force: true });
  });
  it('editors and marketers upload, edit and delete, but never force', () => {
    for (const role of ['editor', 'marketer']) expect(mediaRights(PERMS[role], false)).toEqual({ upload: true, edit: true, delete: true, force: false });
  });
  it('authors upload, and edit only the text of their own items', () => {
    expect(mediaRights(PERMS.author, false)).toEqual({ upload: true, edit: false, delete: false, force: false });
    expect(mediaRights(PERMS.author, true)).toEqual({ upload: true, edit: true, delete: false, force: false });
  });
});
