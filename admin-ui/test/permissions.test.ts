import { describe, expect, it } from 'vitest';
import { actions, canCreate, canEdit, canRead, home, mediaRights } from '../src/lib/permissions';
import type { Status } from '../src/api/types';

const e = (status: Status, authorId: number | null = 1, trashed = false) => ({ status, authorId, trashed });

describe('what the UI offers', () => {
  it('editors and admins: everything the status allows', () => {
    for (const role of ['admin', 'editor'] as const) {
      expect(actions({ id: 9, role }, 'post', e('draft'))).toEqual(['save', 'submit', 'publish', 'schedule', 'trash']);
      expect(actions({ id: 9, role }, 'post', e('in_review'))).toEqual(['save', 'publish', 'schedule', 'trash']);
      expect(actions({ id: 9, role }, 'post', e('scheduled'))).toEqual(['save', 'publish', 'unschedule', 'trash']);
      expect(actions({ id: 9, role }, 'case_study', e('published'))).toEqual(['save', 'unpublish', 'archive', 'trash']);
      expect(actions({ id: 9, role }, 'post', e('archived'))).toEqual(['save', 'unpublish', 'trash']);
    }
  });

  it('authors: their own drafts, submit but never publish', () => {
    const me = { id: 1, role: 'author' as const };
    expect(actions(me, 'post', e('draft'))).toEqual(['save', 'submit', 'trash']);
    expect(actions(me, 'post', e('in_review'))).toEqual(['save', 'trash']);
    expect(actions(me, 'post', e('published'))).toEqual([]);
    expect(actions(me, 'post', e('draft', 2))).toEqual([]);
    expect(canEdit(me, 'post', null)).toBe(true);
    expect(canCreate('author', 'case_study')).toBe(false);
    expect(canRead('author', 'case_study')).toBe(false);
  });

  it('marketers: case studies fully, posts read only', () => {
    const m = { id: 3, role: 'marketer' as const };
    expect(canRead('marketer', 'post')).toBe(true);
    expect(canCreate('marketer', 'post')).toBe(false);
    expect(canEdit(m, 'post', e('draft', 3))).toBe(false);
    expect(actions(m, 'post', e('draft', 3))).toEqual([]);
    expect(actions(m, 'case_study', e('draft'))).toEqual(['save', 'submit', 'publish', 'schedule', 'trash']);
    expect(home('marketer')).toBe('case-studies');
    expect(home('editor')).toBe('');
  });

  it('nothing is editable in the trash; a new entry can only be saved', () => {
    expect(actions({ id: 1, role: 'admin' }, 'post', e('draft', 1, true))).toEqual([]);
    expect(actions({ id: 1, role: 'admin' }, 'post', null)).toEqual(['save']);
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
