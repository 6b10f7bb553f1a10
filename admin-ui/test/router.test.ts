import { describe, expect, it } from 'vitest';
import { match } from '../src/lib/router';

describe('routes', () => {
  it('has the media library, the webhooks and one webhook’s deliveries', () => {
    expect(match('/admin/media')).toEqual({ name: 'media' });
    expect(match('/admin/webhooks')).toEqual({ name: 'webhooks' });
    expect(match('/admin/webhooks/12')).toEqual({ name: 'webhook', id: 12 });
    expect(match('/admin/webhooks/0')).toEqual({ name: 'not-found' });
    expect(match('/admin/webhooks/12/x')).toEqual({ name: 'not-found' });
  });
});
