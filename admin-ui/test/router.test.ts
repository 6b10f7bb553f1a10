import { describe, expect, it } from 'vitest';
import { match, segment } from '../src/lib/router';

describe('routes', () => {
  it('has a list, a new-entry editor and an editor for each entry type', () => {
    expect(match('/admin/')).toEqual({ name: 'dashboard' });
    expect(match('/admin/posts')).toEqual({ name: 'list', type: 'post' });
    expect(match('/admin/posts/new')).toEqual({ name: 'edit', type: 'post', id: null });
    expect(match('/admin/case-studies/7/')).toEqual({ name: 'edit', type: 'case_study', id: 7 });
    expect(match('/admin/case-studies')).toEqual({ name: 'list', type: 'case_study' });
    expect(match('/admin/posts/07')).toEqual({ name: 'not-found' });
    expect(match('/admin/case_study')).toEqual({ name: 'not-found' });
    expect([segment('post'), segment('case_study')]).toEqual(['posts', 'case-studies']);
  });

  it('has the media library, the webhooks and one webhook’s deliveries', () => {
    expect(match('/admin/media')).toEqual({ name: 'media' });
    expect(match('/admin/webhooks')).toEqual({ name: 'webhooks' });
    expect(match('/admin/webhooks/12')).toEqual({ name: 'webhook', id: 12 });
    expect(match('/admin/webhooks/0')).toEqual({ name: 'not-found' });
    expect(match('/admin/webhooks/12/x')).toEqual({ name: 'not-found' });
  });
});
