// The Site settings screen's logic (GET/PATCH /api/v1/admin/settings): the
// form made from the settings, the links list's moves, the checks the
// server makes too (so a mistake shows before saving), and the PATCH of
// only what changed. Pure: the screen is src/admin/SiteSettings.svelte.
import type { SiteSettings, SiteSettingsPatch } from '../api/types';

/** A link of the navigation or the social list, with a key for the list's rows. */
export interface LinkRow {
  key: number;
  /** label for the navigation, network for social links. */
  name: string;
  url: string;
}

export interface SiteForm {
  title: string;
  description: string;
  language: string;
  logo: number | null;
  icon: number | null;
  navigation: LinkRow[];
  social: LinkRow[];
}

let nextKey = 1;
/** newRow is an empty link with a key of its own. */
export function newRow(name = '', url = ''): LinkRow {
  return { key: nextKey++, name, url };
}

/** toForm makes the form from the settings the server sent. */
export function toForm(s: SiteSettings): SiteForm {
  return {
    title: s.title ?? '',
    description: s.description ?? '',
    language: s.language ?? '',
    logo: s.logo?.media_id ?? null,
    icon: s.icon?.media_id ?? null,
    navigation: s.navigation.map((l) => newRow(l.label, l.url)),
    social: s.social.map((l) => newRow(l.network, l.url)),
  };
}

/** move returns rows with the row at i moved by delta places (kept within the list). */
export function move<T>(rows: T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= rows.length || j < 0 || j >= rows.length) return rows;
  const out = rows.slice();
  const [r] = out.splice(i, 1);
  out.splice(j, 0, r);
  return out;
}

/** remove returns rows without the row at i. */
export function remove<T>(rows: T[], i: number): T[] {
  return rows.filter((_, k) => k !== i);
}

const oneLine = (s: string) => s.trim().split(/\s+/).filter(Boolean).join(' ');
const httpURL = (s: string) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '' && !/\s/.test(s);
  } catch {
    return false;
  }
};
/** siteLink: a path on the site (/blog) or an http(s) URL, as the server accepts. */
export function siteLink(s: string): boolean {
  if (s.startsWith('/') && !s.startsWith('//')) return !/[\s\\]/.test(s);
  return httpURL(s);
}

/**
 * check finds what the server would refuse, keyed by the field names of its
 * 422 details (title, navigation[0].url, social[1].network, …).
 */
export function check(f: SiteForm): Record<string, string> {
  const e: Record<string, string> = {};
  if (oneLine(f.title).length > 200) e.title = 'must be at most 200 characters';
  if (f.description.trim().length > 1000) e.description = 'must be at most 1000 characters';
  if (f.navigation.length > 50) e.navigation = 'must have at most 50 links';
  f.navigation.forEach((l, i) => {
    if (!oneLine(l.name)) e[`navigation[${i}].label`] = 'must not be empty';
    else if (oneLine(l.name).length > 100) e[`navigation[${i}].label`] = 'must be at most 100 characters';
    if (!siteLink(l.url.trim())) e[`navigation[${i}].url`] = 'must be a path on the site (starting with /) or an absolute http:// or https:// URL';
  });
  if (f.social.length > 30) e.social = 'must have at most 30 links';
  f.social.forEach((l, i) => {
    if (!/^[a-z0-9][a-z0-9.-]{0,31}$/.test(l.name.trim().toLowerCase())) e[`social[${i}].network`] = 'must be a short name such as github or mastodon';
    if (!httpURL(l.url.trim())) e[`social[${i}].url`] = 'must be an absolute http:// or https:// URL';
  });
  return e;
}

/** patchOf is the PATCH body of what the form changed from the settings saved (empty: nothing). */
export function patchOf(saved: SiteSettings, f: SiteForm): SiteSettingsPatch {
  const p: SiteSettingsPatch = {};
  const text = (v: string) => (v === '' ? null : v);
  const title = oneLine(f.title);
  if (title !== (saved.title ?? '')) p.title = text(title);
  const description = f.description.trim();
  if (description !== (saved.description ?? '')) p.description = text(description);
  const language = f.language.trim();
  if (language !== (saved.language ?? '')) p.language = text(language);
  if (f.logo !== (saved.logo?.media_id ?? null)) p.logo = f.logo;
  if (f.icon !== (saved.icon?.media_id ?? null)) p.icon = f.icon;
  const nav = f.navigation.map((l) => ({ label: oneLine(l.name), url: l.url.trim() }));
  if (JSON.stringify(nav) !== JSON.stringify(saved.navigation)) p.navigation = nav;
  const social = f.social.map((l) => ({ network: l.name.trim().toLowerCase(), url: l.url.trim() }));
  if (JSON.stringify(social) !== JSON.stringify(saved.social)) p.social = social;
  return p;
}
