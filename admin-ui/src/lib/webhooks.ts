// The webhooks screen's logic: the event choice ("All events" or a list),
// the form's checks (the server checks again, and alone knows about private
// networks), what a delivery's outcome says, and waiting for a test event's.
import type { Delivery, Webhook, WebhookEvent, WebhookInput, WebhookPatch } from '../api/types';

export const ALL = '*';

/** The events folio sends when the settings are not loaded (GET /admin/config has the list). */
export const KNOWN_EVENTS = [
  'post.published',
  'post.updated',
  'post.unpublished',
  'post.deleted',
  'case_study.published',
  'case_study.updated',
  'case_study.unpublished',
  'case_study.deleted',
  'page.published',
  'page.updated',
  'page.unpublished',
  'page.deleted',
  'media.deleted',
];

/** What the form holds: all events, or these (kept while "All events" is on, so turning it off gives them back). */
export interface EventChoice {
  all: boolean;
  events: string[];
}

export function fromEvents(list: readonly string[]): EventChoice {
  return list.includes(ALL) ? { all: true, events: [] } : { all: false, events: [...list] };
}

/** toggleEvent turns one event (or ALL) on or off. */
export function toggleEvent(c: EventChoice, event: string, on: boolean): EventChoice {
  if (event === ALL) return { all: on, events: [...c.events] };
  const has = c.events.includes(event);
  if (on && !has) return { all: c.all, events: [...c.events, event] };
  if (!on && has) return { all: c.all, events: c.events.filter((e) => e !== event) };
  return c;
}

/** toEvents is the API's list: ["*"], or the chosen events in the server's order. */
export function toEvents(c: EventChoice, known: readonly string[] = KNOWN_EVENTS): WebhookEvent[] {
  if (c.all) return [ALL];
  const order = (e: string) => {
    const i = known.indexOf(e);
    return i < 0 ? known.length : i;
  };
  return [...new Set(c.events)].sort((a, b) => order(a) - order(b) || a.localeCompare(b)) as WebhookEvent[];
}

const NOUN: Record<string, string> = { post: 'Post', case_study: 'Case study', page: 'Page', media: 'Media item', webhook: 'Webhook' };

/** eventLabel: "post.published" → "Post published". */
export function eventLabel(e: string): string {
  if (e === ALL) return 'All events';
  if (e === 'ping') return 'Test event (ping)';
  const [type, what] = e.split('.');
  return what ? `${NOUN[type] ?? type} ${what}` : e;
}

/** eventsSummary says what a webhook subscribes to. */
export function eventsSummary(events: readonly string[]): string {
  if (events.includes(ALL)) return 'All events';
  if (!events.length) return 'No events';
  return events.map(eventLabel).join(', ');
}

/** groupEvents puts the known events under headings (Posts, Case studies, Media). */
export function groupEvents(known: readonly string[]): Array<{ label: string; events: string[] }> {
  const heading: Record<string, string> = { post: 'Posts', case_study: 'Case studies', page: 'Pages', media: 'Media' };
  const out: Array<{ label: string; events: string[] }> = [];
  for (const e of known) {
    const type = e.split('.')[0];
    const label = heading[type] ?? 'Other';
    const g = out.find((x) => x.label === label);
    if (g) g.events.push(e);
    else out.push({ label, events: [e] });
  }
  return out;
}

// ---- the form ----

export interface WebhookDraft {
  name: string;
  url: string;
  choice: EventChoice;
  active: boolean;
}

export function draftOf(w: Webhook | null): WebhookDraft {
  return w ? { name: w.name, url: w.url, choice: fromEvents(w.events), active: w.active } : { name: '', url: '', choice: { all: false, events: [] }, active: true };
}

/**
 * validateWebhook checks what can be checked here, in the server's words;
 * errors by field (name, url, events). Private addresses are the server's
 * to refuse: it resolves the name.
 */
export function validateWebhook(d: WebhookDraft): Record<string, string> {
  const e: Record<string, string> = {};
  const name = d.name.trim();
  if (!name) e.name = 'is required';
  else if ([...name].length > 100) e.name = 'must be at most 100 characters';
  const url = d.url.trim();
  if (!url) e.url = 'is required';
  else if (url.length > 2000) e.url = 'must be at most 2000 characters';
  else {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (!scheme) e.url = 'must be an absolute http or https URL';
    else if (scheme !== 'http' && scheme !== 'https') e.url = 'must use http or https';
    else if (!/^https?:\/\/[^/?#\s]+/i.test(url)) e.url = 'must name a host';
  }
  if (!d.choice.all && d.choice.events.length === 0) e.events = 'Pick at least one event, or All events.';
  return e;
}

export function webhookInput(d: WebhookDraft, known?: readonly string[]): WebhookInput {
  return { name: d.name.trim(), url: d.url.trim(), events: toEvents(d.choice, known), active: d.active };
}

/** webhookPatch sends only what changed (PATCH changes only the fields sent). */
export function webhookPatch(w: Webhook, d: WebhookDraft, known?: readonly string[]): WebhookPatch {
  const p: WebhookPatch = {};
  const next = webhookInput(d, known);
  if (next.name !== w.name) p.name = next.name;
  if (next.url !== w.url) p.url = next.url;
  if (JSON.stringify(next.events) !== JSON.stringify(toEvents(fromEvents(w.events), known))) p.events = next.events;
  if (d.active !== w.active) p.active = d.active;
  return p;
}

// ---- how it is going ----

export type Level = 'ok' | 'warn' | 'error' | 'off';

/** codeLevel: 2xx fine, others not, none (no answer) worse. */
export function codeLevel(code: number | null): Level {
  if (code === null) return 'error';
  return code >= 200 && code < 300 ? 'ok' : 'error';
}

/** outcome says how a delivery went. */
export function outcome(d: Delivery): string {
  const last = d.attempts[d.attempts.length - 1];
  const why = last ? (last.status_code !== null ? `status ${last.status_code}` : (last.error ?? 'no answer')) : '';
  switch (d.status) {
    case 'delivered':
      return last ? `Delivered: ${last.status_code} in ${last.duration_ms} ms` : 'Delivered';
    case 'failed':
      return `Gave up after ${d.attempt_count} ${d.attempt_count === 1 ? 'attempt' : 'attempts'}: ${why || d.last_error || 'no answer'}`;
    default:
      return d.attempt_count === 0 ? 'Waiting to be sent' : `Attempt ${d.attempt_count} failed (${why}); retrying`;
  }
}

/** prettyJSON shows a payload indented. */
export function prettyJSON(v: unknown): string {
  return JSON.stringify(v, null, 2);
}

/** settled: has a delivery an outcome to show (delivered, given up, or a first attempt made)? */
export function settled(d: Delivery): boolean {
  return d.status !== 'pending' || d.attempt_count > 0;
}

export interface PollOptions {
  /** How long to wait for an outcome, in ms. */
  timeout?: number;
  interval?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * waitForDelivery polls a webhook's deliveries until the one with this id
 * has an outcome; it returns the last state seen (maybe still waiting), or
 * null when it never appeared.
 */
export async function waitForDelivery(list: () => Promise<Delivery[]>, id: number, o: PollOptions = {}): Promise<Delivery | null> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const end = now() + (o.timeout ?? 15_000);
  let last: Delivery | null = null;
  for (;;) {
    if (o.signal?.aborted) return last;
    try {
      last = (await list()).find((d) => d.id === id) ?? last;
    } catch {
      // keep trying until the time is up
    }
    if (last && settled(last)) return last;
    if (now() >= end) return last;
    await sleep(o.interval ?? 700);
  }
}
