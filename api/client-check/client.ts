// A small client of Folio's public API, written the way a site would write
// one: openapi-fetch over the types openapi-typescript generates from
// api/openapi.yaml (gen/schema.d.ts, made by `npm run gen`). It is never run;
// `go tool task api:types` type-checks it (tsc --noEmit), so a contract that
// stops generating usable types (list items typed as empty objects, numbers
// or booleans in queries typed as strings, a field renamed or gone) fails
// the test task. Keep it free of casts (`as`, `any`, `!`): the point is that
// the generated types alone are enough.
import createClient from 'openapi-fetch';
import type { components, paths } from './gen/schema';

type Schemas = components['schemas'];

const api = createClient<paths>({ baseUrl: 'https://cms.example.com' });

// Every function returns what a page of the site would render, reading the
// fields straight from the typed answers.

export async function postsPage(page: number, tag: string) {
  const { data, error } = await api.GET('/api/v1/posts', {
    params: { query: { page, per_page: 10, featured: true, tag, sort: '-published_at', preview: false } },
  });
  if (error) return { message: error.error.message, code: error.error.code };
  const first = data.data[0];
  const titles: string[] = data.data.map((p) => p.title ?? '');
  const total: number = data.meta.total;
  const next: number | null = data.meta.next;
  const tags: string[] = (first?.tags ?? []).map((t) => t.name);
  const author: string | undefined = first?.author?.name;
  const featured: boolean | undefined = first?.featured;
  const minutes: number | undefined = first?.reading_time_minutes;
  const cover: string | undefined = first?.cover_image?.url;
  return { titles, total, next, tags, author, featured, minutes, cover };
}

export async function postSlugs() {
  // `fields` leaves the other fields out; the ones asked for are typed.
  const { data } = await api.GET('/api/v1/posts', {
    params: { query: { fields: 'slug,updated_at', sort: 'updated_at', updated_after: '2026-01-01T00:00:00Z', per_page: 100 } },
  });
  const slugs: (string | undefined)[] = (data?.data ?? []).map((p) => p.slug);
  const ids: (number | undefined)[] = (data?.data ?? []).map((p) => p.id);
  const saved: (string | undefined)[] = (data?.data ?? []).map((p) => p.updated_at);
  return { slugs, ids, saved };
}

export async function buildEverything() {
  // A static build: every post with what its page renders, 100 per request.
  const pages: { url: string | undefined; html: string | undefined; headings: string[]; words: number | undefined }[] = [];
  let page: number | null = 1;
  while (page !== null) {
    const current: number = page;
    const { data, error } = await api.GET('/api/v1/posts', {
      params: { query: { fields: 'slug,url,title,html,toc,seo,word_count,updated_at', per_page: 100, page: current } },
    });
    if (error) throw new Error(error.error.message);
    for (const p of data.data) {
      pages.push({ url: p.url, html: p.html, headings: (p.toc ?? []).map((h) => h.text), words: p.word_count });
    }
    const next: number | null = data.meta.next; // null on the last page
    page = next;
  }
  const { data: studies } = await api.GET('/api/v1/case-studies', {
    params: { query: { fields: 'url,challenge_html,solution_html,results_html,testimonial', per_page: 100 } },
  });
  const sections: (string | undefined)[] = (studies?.data ?? []).flatMap((c) => [c.url, c.challenge_html, c.solution_html]);
  const { data: site } = await api.GET('/api/v1/pages', { params: { query: { fields: 'url,path,html', per_page: 100 } } });
  const paths: (string | undefined)[] = (site?.data ?? []).map((p) => p.url ?? p.path);
  return { pages, sections, paths };
}

export async function post(slug: string) {
  const { data, error, response } = await api.GET('/api/v1/posts/{slug}', { params: { path: { slug }, query: { preview: true } } });
  if (error) return { status: response.status, code: error.error.code };
  const p: Schemas['Post'] = data.data;
  const html: string = p.html;
  const headings: string[] = p.toc.map((h) => h.text);
  const words: number = p.word_count;
  const metaTitle: string | null = p.seo.meta_title;
  const url: string = p.url;
  // A preview says where the post stands; a published answer has no status.
  const status: Schemas['Status'] | undefined = p.status;
  return { title: p.title, html, headings, words, metaTitle, updated: p.updated_at, url, status };
}

export async function related(slug: string) {
  const { data } = await api.GET('/api/v1/posts/{slug}/related', { params: { path: { slug }, query: { limit: 3 } } });
  return (data?.data ?? []).map((p) => ({ slug: p.slug, url: p.url, title: p.title, excerpt: p.excerpt, when: p.published_at }));
}

export async function caseStudies(industry: string) {
  const { data } = await api.GET('/api/v1/case-studies', {
    params: { query: { industry, technology: 'Go', featured: false, page: 1, per_page: 20 } },
  });
  if (!data) return [];
  const pages: number = data.meta.total_pages;
  return data.data.map((c) => ({
    pages,
    title: c.title,
    client: c.client,
    industry: c.industry,
    services: c.services?.join(', '),
    metrics: (c.metrics ?? []).map((m) => `${m.label}: ${m.value}`),
    logo: c.logo?.url,
    featured: c.featured,
  }));
}

export async function caseStudy(slug: string) {
  const { data } = await api.GET('/api/v1/case-studies/{slug}', { params: { path: { slug } } });
  if (!data) return null;
  const c: Schemas['CaseStudy'] = data.data;
  return {
    title: c.title,
    sections: [c.challenge_html, c.solution_html, c.results_html],
    quote: c.testimonial?.quote,
    technologies: c.technologies,
  };
}

export async function facets() {
  const { data } = await api.GET('/api/v1/case-studies/facets');
  if (!data) return null;
  const count = (f: Schemas['Facet'][]) => f.map((x) => `${x.name} (${x.count})`);
  return {
    industries: count(data.data.industries),
    technologies: count(data.data.technologies),
    services: count(data.data.services),
  };
}

export async function pages(parent: string) {
  const { data } = await api.GET('/api/v1/pages', { params: { query: { parent, sort: 'menu_order', page: 1, per_page: 50 } } });
  if (!data) return [];
  return data.data.map((p) => ({ path: p.path, parent: p.parent, order: p.menu_order, title: p.title }));
}

export async function page(slug: string) {
  const { data } = await api.GET('/api/v1/pages/{slug}', { params: { path: { slug } } });
  if (!data) return null;
  const p: Schemas['Page'] = data.data;
  return { path: p.path, html: p.html, parent: p.parent, words: p.word_count };
}

export async function tags() {
  const { data } = await api.GET('/api/v1/tags');
  return (data?.data ?? []).map((t) => ({ slug: t.slug, name: t.name, posts: t.post_count }));
}

export async function search(q: string, page: number) {
  const { data, error } = await api.GET('/api/v1/search', { params: { query: { q, type: 'post', page, per_page: 10 } } });
  if (error) return { code: error.error.code };
  const capped: boolean = data.meta.total_capped;
  return {
    capped,
    hits: data.data.map((h) => ({ type: h.type, slug: h.slug, url: h.url, title: h.title, snippet: h.snippet })),
  };
}

export async function sitemap() {
  const { data } = await api.GET('/api/v1/sitemap');
  return (data?.data ?? []).map((e) => ({ loc: e.url, lastmod: e.updated_at, type: e.type }));
}

export async function redirects() {
  const { data } = await api.GET('/api/v1/redirects');
  return (data?.data ?? []).map((r) => {
    const status: 301 = r.status;
    return `${r.from} ${r.to} ${status}`;
  });
}

export async function jsonFeed() {
  const { data } = await api.GET('/api/v1/feed.json', { params: { query: { type: 'case_study' } } });
  if (!data) return null;
  return {
    title: data.title,
    version: data.version,
    items: data.items.map((i) => ({ id: i.id, url: i.url, title: i.title, html: i.content_html, tags: i.tags ?? [] })),
  };
}

export async function siteSettings() {
  const { data } = await api.GET('/api/v1/settings');
  if (!data) return null;
  const s = data.data;
  const title: string = s.title ?? 'Untitled';
  return {
    title,
    description: s.description,
    lang: s.language ?? 'en',
    logo: s.logo ? { src: s.logo.url, alt: s.logo.alt, srcset: s.logo.variants.map((v) => `${v.url} ${v.width}w`).join(', ') } : null,
    icon: s.icon?.url ?? null,
    menu: s.navigation.map((l) => ({ href: l.url, text: l.label })),
    social: s.social.map((l) => ({ network: l.network, href: l.url })),
    changed: s.updated_at,
  };
}
