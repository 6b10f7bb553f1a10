// Posts and case studies share one workflow and one set of routes; this
// module gives the editor one interface to both, with the editor's own
// field model (images and the testimonial always objects, tags as names).
import type { Client } from './client';
import type {
  AdminCaseStudy,
  AdminCaseStudyItem,
  AdminPost,
  AdminPostItem,
  AdminPage,
  AdminPageItem,
  CaseStudyFields,
  CaseStudyWrite,
  EntryType,
  Image,
  PageFields,
  PageMeta,
  PageWrite,
  PostFields,
  PostWrite,
  Rendered,
  Revision,
  EditSEO,
  EditTestimonial,
  SEO,
  Status,
} from './types';
import type { FieldKind } from '../lib/merge';
import type { Action } from '../lib/permissions';

export interface PostEdit {
  title: string;
  slug: string;
  excerpt: string;
  body: string;
  tags: string[];
  cover_image: EditImage;
  seo: EditSEO;
  featured: boolean;
}

export interface CaseStudyEdit {
  title: string;
  slug: string;
  client: string;
  industry: string;
  duration: string;
  services: string[];
  technologies: string[];
  summary: string;
  challenge: string;
  solution: string;
  results: string;
  metrics: Array<{ label: string; value: string }>;
  testimonial: EditTestimonial;
  cover_image: EditImage;
  logo: EditImage;
  seo: EditSEO;
  featured: boolean;
}

/** A page: a Markdown body like a post's, below an optional parent page, in a menu order. */
export interface PageEdit {
  title: string;
  slug: string;
  excerpt: string;
  body: string;
  parent_id: number | null;
  menu_order: number;
  cover_image: EditImage;
  seo: EditSEO;
}

export type AnyEdit = PostEdit | CaseStudyEdit | PageEdit;
export type AnyFull = AdminPost | AdminCaseStudy | AdminPage;
export type AnyItem = AdminPostItem | AdminCaseStudyItem | AdminPageItem;

export interface RevisionDetail<F> extends Revision {
  snapshot: { status: Status; published_at: string | null; fields: F };
}

/**
 * An image in the editor: an external one by address, or an item of the
 * media library (media_id; its url is only shown). Empty strings for none.
 */
export interface EditImage {
  url: string;
  alt: string;
  media_id: number | null;
  /** An external image's size as given through the API, kept as it is (the form has no fields for it). */
  size?: { width: number; height: number };
}

type ImageLike = { url?: string; alt?: string | null; media_id?: number | null; width?: number | null; height?: number | null };
const img = (i: ImageLike | null | undefined): EditImage => ({
  url: i?.url ?? '',
  alt: i?.alt ?? '',
  media_id: i?.media_id ?? null,
  ...(!i?.media_id && i?.width && i?.height ? { size: { width: i.width, height: i.height } } : {}),
});
const imgOut = (i: EditImage): Image | null => {
  if (i.media_id !== null) return { media_id: i.media_id, alt: i.alt };
  return i.url.trim() || i.alt.trim() ? { url: i.url, alt: i.alt, ...(i.size ?? {}) } : null;
};
const seo = (s: Partial<SEO> | null | undefined): EditSEO => ({
  meta_title: s?.meta_title ?? '',
  meta_description: s?.meta_description ?? '',
  canonical_url: s?.canonical_url ?? '',
  og_image: s?.og_image ?? '',
});

/** Kind describes one entry type to the editor. */
export interface Kind<F extends AnyEdit, Full extends AnyFull> {
  type: EntryType;
  seg: 'posts' | 'case-studies' | 'pages';
  /** What people call one ("post", "Post") and several ("posts", "Posts"). */
  noun: string;
  Noun: string;
  nouns: string;
  Nouns: string;
  empty(): F;
  fromFull(e: Full): F;
  fromSnapshot(f: PostFields | CaseStudyFields | PageFields): F;
  /** toWrite is the PUT/POST body for the fields (without version). */
  toWrite(f: F): Record<string, unknown>;
  /** How a conflict merges each field. */
  mergeKinds: Partial<Record<keyof F, FieldKind>>;
  /** Field labels, for "what changed". */
  labels: Record<string, string>;
  /**
   * rendered is a Markdown field as the server rendered it when it was last
   * saved: the editor's preview comes from the save's answer, so a pause in
   * typing sends one request.
   */
  rendered(e: Full, field: string): Rendered | null;
  /** The Markdown fields, each with the answer field of its HTML: autosaves send long ones as splices. */
  markdown: Record<string, string>;
}

export const postKind: Kind<PostEdit, AdminPost> = {
  type: 'post',
  seg: 'posts',
  noun: 'post',
  Noun: 'Post',
  nouns: 'posts',
  Nouns: 'Posts',
  empty: () => ({ title: '', slug: '', excerpt: '', body: '', tags: [], cover_image: img(null), seo: seo(null), featured: false }),
  fromFull: (p) => ({
    title: p.title,
    slug: p.slug,
    excerpt: p.excerpt,
    body: p.body,
    tags: p.tags.map((t) => t.name),
    cover_image: img(p.cover_image),
    seo: seo(p.seo),
    featured: p.featured,
  }),
  fromSnapshot: (f0) => {
    const f = f0 as PostFields;
    return {
      title: f.title,
      slug: f.slug,
      excerpt: f.excerpt,
      body: f.body,
      tags: [...(f.tags ?? [])],
      cover_image: img(f.cover_image),
      seo: seo(f.seo),
      featured: f.featured,
    };
  },
  toWrite: (f) =>
    ({
      title: f.title,
      slug: f.slug,
      excerpt: f.excerpt,
      body: f.body,
      tags: f.tags,
      cover_image: imgOut(f.cover_image),
      seo: f.seo,
      featured: f.featured,
    }) satisfies PostWrite,
  mergeKinds: { body: 'text', excerpt: 'text', tags: 'list' },
  labels: {
    title: 'Title',
    slug: 'Slug',
    excerpt: 'Excerpt',
    body: 'Body',
    tags: 'Tags',
    cover_image: 'Cover image',
    seo: 'SEO',
    featured: 'Featured',
    author_id: 'Author',
  },
  markdown: { body: 'html' },
  rendered: (p, field) =>
    field === 'body' ? { html: p.html, toc: p.toc, excerpt: p.auto_excerpt, word_count: p.word_count, reading_time_minutes: p.reading_time_minutes } : null,
};

export const caseStudyKind: Kind<CaseStudyEdit, AdminCaseStudy> = {
  type: 'case_study',
  seg: 'case-studies',
  noun: 'case study',
  Noun: 'Case study',
  nouns: 'case studies',
  Nouns: 'Case studies',
  empty: () => ({
    title: '',
    slug: '',
    client: '',
    industry: '',
    duration: '',
    services: [],
    technologies: [],
    summary: '',
    challenge: '',
    solution: '',
    results: '',
    metrics: [],
    testimonial: { quote: '', author: '', role: '' },
    cover_image: img(null),
    logo: img(null),
    seo: seo(null),
    featured: false,
  }),
  fromFull: (c) => ({ ...caseStudyKind.fromSnapshot(c as unknown as CaseStudyFields), cover_image: img(c.cover_image), logo: img(c.logo) }),
  fromSnapshot: (f0) => {
    const f = f0 as CaseStudyFields;
    return {
      title: f.title,
      slug: f.slug,
      client: f.client ?? '',
      industry: f.industry ?? '',
      duration: f.duration ?? '',
      services: [...(f.services ?? [])],
      technologies: [...(f.technologies ?? [])],
      summary: f.summary ?? '',
      challenge: f.challenge,
      solution: f.solution,
      results: f.results,
      metrics: (f.metrics ?? []).map((m) => ({ label: m.label, value: m.value })),
      testimonial: { quote: f.testimonial?.quote ?? '', author: f.testimonial?.author ?? '', role: f.testimonial?.role ?? '' },
      cover_image: img(f.cover_image),
      logo: img(f.logo),
      seo: seo(f.seo),
      featured: f.featured,
    };
  },
  toWrite: (f) => {
    const t = f.testimonial;
    return {
      title: f.title,
      slug: f.slug,
      client: f.client,
      industry: f.industry,
      duration: f.duration,
      services: f.services,
      technologies: f.technologies,
      summary: f.summary,
      challenge: f.challenge,
      solution: f.solution,
      results: f.results,
      metrics: f.metrics.map((m) => ({ label: m.label, value: m.value })),
      testimonial: t.quote.trim() || t.author.trim() || t.role.trim() ? { quote: t.quote, author: t.author, role: t.role } : null,
      cover_image: imgOut(f.cover_image),
      logo: imgOut(f.logo),
      seo: f.seo,
      featured: f.featured,
    } satisfies CaseStudyWrite;
  },
  mergeKinds: { summary: 'text', challenge: 'text', solution: 'text', results: 'text', services: 'list', technologies: 'list' },
  labels: {
    title: 'Title',
    slug: 'Slug',
    client: 'Client',
    industry: 'Industry',
    duration: 'Duration',
    services: 'Services',
    technologies: 'Technologies',
    summary: 'Summary',
    challenge: 'Challenge',
    solution: 'Solution',
    results: 'Results',
    metrics: 'Metrics',
    testimonial: 'Testimonial',
    cover_image: 'Cover image',
    logo: 'Logo',
    seo: 'SEO',
    featured: 'Featured',
  },
  markdown: { challenge: 'challenge_html', solution: 'solution_html', results: 'results_html' },
  rendered: (c, field) => {
    const html = { challenge: c.challenge_html, solution: c.solution_html, results: c.results_html }[field];
    return html === undefined ? null : { html, toc: [], excerpt: '', word_count: c.word_count, reading_time_minutes: c.reading_time_minutes };
  },
};

export const pageKind: Kind<PageEdit, AdminPage> = {
  type: 'page',
  seg: 'pages',
  noun: 'page',
  Noun: 'Page',
  nouns: 'pages',
  Nouns: 'Pages',
  empty: () => ({ title: '', slug: '', excerpt: '', body: '', parent_id: null, menu_order: 0, cover_image: img(null), seo: seo(null) }),
  fromFull: (p) => ({ ...pageKind.fromSnapshot(p as unknown as PageFields), cover_image: img(p.cover_image) }),
  fromSnapshot: (f0) => {
    const f = f0 as PageFields;
    return {
      title: f.title,
      slug: f.slug,
      excerpt: f.excerpt ?? '',
      body: f.body ?? '',
      parent_id: f.parent_id ?? null,
      menu_order: f.menu_order ?? 0,
      cover_image: img(f.cover_image),
      seo: seo(f.seo),
    };
  },
  toWrite: (f) =>
    ({
      title: f.title,
      slug: f.slug,
      excerpt: f.excerpt,
      body: f.body,
      parent_id: f.parent_id,
      menu_order: f.menu_order,
      cover_image: imgOut(f.cover_image),
      seo: f.seo,
    }) satisfies PageWrite,
  mergeKinds: { body: 'text', excerpt: 'text' },
  labels: {
    title: 'Title',
    slug: 'Slug',
    excerpt: 'Excerpt',
    body: 'Body',
    parent_id: 'Parent page',
    menu_order: 'Menu order',
    cover_image: 'Cover image',
    seo: 'SEO',
  },
  markdown: { body: 'html' },
  rendered: (p, field) =>
    field === 'body' ? { html: p.html, toc: p.toc, excerpt: p.auto_excerpt, word_count: p.word_count, reading_time_minutes: p.reading_time_minutes } : null,
};

const KINDS = { post: postKind, case_study: caseStudyKind, page: pageKind } as unknown as Record<EntryType, Kind<AnyEdit, AnyFull>>;

/** kindOf is the Kind of an entry type. */
export function kindOf(type: EntryType): Kind<AnyEdit, AnyFull> {
  return KINDS[type];
}

// The generated client is typed per path; the two types' paths differ only
// in their segment, so these helpers pick the path and keep the answer types.
type Untyped = (method: string, path: string, opts: Record<string, unknown>) => Promise<{ data: unknown; headers: Headers }>;

export class EntriesApi {
  private raw: Untyped;
  constructor(client: Client) {
    this.raw = client.answer.bind(client) as unknown as Untyped;
  }

  private base(k: { seg: string }) {
    return `/api/v1/admin/${k.seg}`;
  }

  async list<I extends AnyItem>(k: { seg: string }, query: Record<string, string | undefined>, signal?: AbortSignal) {
    const r = await this.raw('get', this.base(k), { query, signal });
    return r.data as { data: I[]; meta: PageMeta };
  }

  async get<Full extends AnyFull>(k: { seg: string }, id: number): Promise<Full> {
    const r = await this.raw('get', `${this.base(k)}/{id}`, { path: { id } });
    return (r.data as { data: Full }).data;
  }

  /** getIfChanged is the entry if its version is no longer `version` (If-None-Match), else null. */
  async getIfChanged<Full extends AnyFull>(k: { seg: string }, id: number, version: number | null): Promise<Full | null> {
    const headers: Record<string, string> = version === null ? {} : { 'If-None-Match': `"${version}"` };
    const r = await this.raw('get', `${this.base(k)}/{id}`, { path: { id }, headers });
    return r.data === null ? null : (r.data as { data: Full }).data;
  }

  async create<Full extends AnyFull>(k: { seg: string }, body: Record<string, unknown>): Promise<Full> {
    const r = await this.raw('post', this.base(k), { body });
    return (r.data as { data: Full }).data;
  }

  async put<Full extends AnyFull>(k: { seg: string }, id: number, version: number, body: Record<string, unknown>): Promise<Full> {
    const r = await this.raw('put', `${this.base(k)}/{id}`, { path: { id }, body: { ...body, version } });
    return (r.data as { data: Full }).data;
  }

  async patch<Full extends AnyFull>(k: { seg: string }, id: number, version: number, patch: Record<string, unknown>): Promise<Full> {
    const r = await this.raw('patch', `${this.base(k)}/{id}`, {
      path: { id },
      body: { ...patch, version },
      contentType: 'application/merge-patch+json',
    });
    return (r.data as { data: Full }).data;
  }

  async action<Full extends AnyFull>(k: { seg: string }, id: number, act: Exclude<Action, 'save' | 'trash'>, body?: Record<string, unknown>): Promise<Full> {
    const r = await this.raw('post', `${this.base(k)}/{id}/${act}`, { path: { id }, body });
    return (r.data as { data: Full }).data;
  }

  async trash(k: { seg: string }, id: number, permanent = false): Promise<void> {
    await this.raw('delete', `${this.base(k)}/{id}`, { path: { id }, query: permanent ? { permanent: '1' } : undefined });
  }

  async untrash<Full extends AnyFull>(k: { seg: string }, id: number): Promise<Full> {
    const r = await this.raw('post', `${this.base(k)}/{id}/restore`, { path: { id } });
    return (r.data as { data: Full }).data;
  }

  async revisions(k: { seg: string }, id: number, page = 1) {
    const r = await this.raw('get', `${this.base(k)}/{id}/revisions`, { path: { id }, query: { page: String(page), per_page: '50' } });
    return r.data as { data: Revision[]; meta: PageMeta };
  }

  async revision<F>(k: { seg: string }, id: number, rev: number): Promise<RevisionDetail<F>> {
    const r = await this.raw('get', `${this.base(k)}/{id}/revisions/{rev}`, { path: { id, rev } });
    return (r.data as { data: RevisionDetail<F> }).data;
  }

  async restoreRevision<Full extends AnyFull>(k: { seg: string }, id: number, rev: number): Promise<Full> {
    const r = await this.raw('post', `${this.base(k)}/{id}/revisions/{rev}/restore`, { path: { id, rev } });
    return (r.data as { data: Full }).data;
  }
}
