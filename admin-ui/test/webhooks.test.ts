import { describe, expect, it } from 'vitest';
import type { Delivery, Webhook } from '../src/api/types';
import {
  codeLevel,
  draftOf,
  eventLabel,
  eventsSummary,
  fromEvents,
  groupEvents,
  KNOWN_EVENTS,
  outcome,
  toEvents,
  toggleEvent,
  validateWebhook,
  waitForDelivery,
  webhookInput,
  webhookPatch,
} from '../src/lib/webhooks';

const hook = (over: Partial<Webhook> = {}): Webhook => ({
  id: 1,
  name: 'Site',
  url: 'https://example.com/hook',
  events: ['post.published'],
  active: true,
  disabled_reason: null,
  secret_hint: '…ABCD',
  pending_deliveries: 0,
  failed_deliveries: 0,
  last_attempt_at: null,
  last_status_code: null,
  last_error: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

const delivery = (over: Partial<Delivery> = {}): Delivery => ({
  id: 9,
  webhook_id: 1,
  event_id: 'evt_1',
  event: 'ping',
  status: 'pending',
  attempt_count: 0,
  next_attempt_at: null,
  last_status_code: null,
  last_error: null,
  redelivery_of: null,
  created_at: '2026-01-01T00:00:00Z',
  completed_at: null,
  payload: { id: 'evt_1', event: 'ping', created_at: '2026-01-01T00:00:00Z', data: { type: 'webhook', id: 1, slug: '', title: 'Site', status: 'active', url: 'https://example.com/hook' } },
  attempts: [],
  ...over,
});

describe('choosing events', () => {
  it('"All events" is ["*"], and turning it off gives the earlier choice back', () => {
    let c = fromEvents(['post.published']);
    c = toggleEvent(c, 'post.updated', true);
    c = toggleEvent(c, '*', true);
    expect(toEvents(c)).toEqual(['*']);
    c = toggleEvent(c, '*', false);
    expect(toEvents(c)).toEqual(['post.published', 'post.updated']);
  });

  it('sends events in the server’s order, once each', () => {
    let c = fromEvents([]);
    for (const e of ['media.deleted', 'post.deleted', 'post.published', 'post.published']) c = toggleEvent(c, e, true);
    expect(toEvents(c)).toEqual(['post.published', 'post.deleted', 'media.deleted']);
    c = toggleEvent(c, 'post.deleted', false);
    expect(toEvents(c)).toEqual(['post.published', 'media.deleted']);
  });

  it('reads ["*"] from the API as All events', () => {
    expect(fromEvents(['*'])).toEqual({ all: true, events: [] });
    expect(eventsSummary(['*'])).toBe('All events');
    expect(eventsSummary(['post.published', 'case_study.deleted'])).toBe('Post published, Case study deleted');
    expect(eventLabel('media.deleted')).toBe('Media item deleted');
    expect(eventLabel('ping')).toBe('Test event (ping)');
  });

  it('groups the events under headings', () => {
    expect(groupEvents(KNOWN_EVENTS).map((g) => [g.label, g.events.length])).toEqual([
      ['Posts', 4],
      ['Case studies', 4],
      ['Pages', 4],
      ['Media', 1],
    ]);
  });
});

describe('the webhook form', () => {
  const ok = { name: 'Site', url: 'https://example.com/hook', choice: { all: false, events: ['post.published'] }, active: true };

  it('accepts a complete form', () => {
    expect(validateWebhook(ok)).toEqual({});
    expect(webhookInput({ ...ok, name: '  Site  ', url: ' https://example.com/hook ' })).toEqual({
      name: 'Site',
      url: 'https://example.com/hook',
      events: ['post.published'],
      active: true,
    });
  });

  it('names each problem, in the server’s words', () => {
    expect(validateWebhook({ ...ok, name: ' ', url: '', choice: { all: false, events: [] } })).toEqual({
      name: 'is required',
      url: 'is required',
      events: 'Pick at least one event, or All events.',
    });
    expect(validateWebhook({ ...ok, url: 'ftp://example.com/x' }).url).toBe('must use http or https');
    expect(validateWebhook({ ...ok, url: 'example.com/hook' }).url).toBe('must be an absolute http or https URL');
    expect(validateWebhook({ ...ok, url: 'https://' }).url).toBe('must name a host');
    expect(validateWebhook({ ...ok, name: 'x'.repeat(101) }).name).toBe('must be at most 100 characters');
    expect(validateWebhook({ ...ok, choice: { all: true, events: [] } })).toEqual({});
  });

  it('leaves private addresses to the server (it resolves names)', () => {
    expect(validateWebhook({ ...ok, url: 'http://169.254.169.254/' })).toEqual({});
  });

  it('an edit sends only what changed', () => {
    const w = hook();
    expect(webhookPatch(w, draftOf(w))).toEqual({});
    const d = draftOf(w);
    d.name = 'Site (prod)';
    d.active = false;
    d.choice = toggleEvent(d.choice, '*', true);
    expect(webhookPatch(w, d)).toEqual({ name: 'Site (prod)', events: ['*'], active: false });
  });
});

describe('how a delivery went', () => {
  it('2xx is fine, any other status or no answer is not', () => {
    expect([codeLevel(200), codeLevel(204), codeLevel(301), codeLevel(410), codeLevel(null)]).toEqual(['ok', 'ok', 'error', 'error', 'error']);
  });

  it('says how a delivery went', () => {
    const attempt = { attempt: 1, at: 'x', duration_ms: 12, status_code: 204, error: null, response_excerpt: '' };
    expect(outcome(delivery({ status: 'delivered', attempt_count: 1, attempts: [attempt] }))).toBe('Delivered: 204 in 12 ms');
    expect(outcome(delivery())).toBe('Waiting to be sent');
    expect(outcome(delivery({ attempt_count: 1, attempts: [{ ...attempt, status_code: null, error: 'connection refused' }] }))).toBe(
      'Attempt 1 failed (connection refused); retrying',
    );
    expect(outcome(delivery({ status: 'failed', attempt_count: 10, attempts: [{ ...attempt, status_code: 500 }] }))).toBe('Gave up after 10 attempts: status 500');
  });
});

describe('waiting for a test event’s outcome', () => {
  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  }

  it('polls until the delivery has an outcome', async () => {
    const answers = [[], [delivery()], [delivery({ status: 'delivered', attempt_count: 1 })]];
    let calls = 0;
    const got = await waitForDelivery(async () => answers[Math.min(calls++, 2)], 9, clock());
    expect(got?.status).toBe('delivered');
    expect(calls).toBe(3);
  });

  it('a failed first attempt is an outcome too (it is retried later)', async () => {
    const got = await waitForDelivery(async () => [delivery({ attempt_count: 1 })], 9, clock());
    expect(got?.attempt_count).toBe(1);
  });

  it('gives up after the timeout with what it saw', async () => {
    const c = clock();
    let calls = 0;
    const got = await waitForDelivery(async () => (calls++, [delivery()]), 9, { ...c, timeout: 3000, interval: 1000 });
    expect(got?.status).toBe('pending');
    expect(calls).toBe(4);
    expect(await waitForDelivery(async () => [], 9, { ...clock(), timeout: 1000 })).toBeNull();
  });

  it('keeps trying through a failed request', async () => {
    let calls = 0;
    const got = await waitForDelivery(
      async () => {
        if (calls++ === 0) throw new Error('offline');
        return [delivery({ status: 'delivered', attempt_count: 1 })];
      },
      9,
      clock(),
    );
    expect(got?.status).toBe('delivered');
  });
});
