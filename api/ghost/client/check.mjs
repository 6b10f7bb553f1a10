// Runs Ghost's own client against a folio: node check.mjs <url> <key>.
// Prints one JSON object: each call's answer (or its error), for
// TestGhostClient (pkg/httpapi) to check.
import GhostContentAPI from '@tryghost/content-api';

const [url, key] = process.argv.slice(2);
const api = new GhostContentAPI({url, key, version: 'v5.0'});
const out = {};
async function run(name, call) {
  try {
    const res = await call();
    out[name] = {value: res, meta: res && res.meta ? res.meta : null};
  } catch (err) {
    out[name] = {error: {name: err.name, message: err.message, type: err.type ?? null}};
  }
}
await run('browse', () => api.posts.browse({limit: 2, page: 1, include: 'tags,authors', order: 'published_at desc'}));
await run('page2', () => api.posts.browse({limit: 2, page: 2}));
await run('filter', () => api.posts.browse({filter: 'tag:go+featured:true', fields: 'id,title,slug', formats: ['html', 'plaintext']}));
await run('formats', () => api.posts.browse({formats: ['plaintext'], limit: 'all'}));
await run('caseStudies', () => api.posts.browse({filter: 'tag:hash-case-study', include: 'tags'}));
await run('postBySlug', () => api.posts.read({slug: 'go-tips'}, {include: 'tags,authors'}));
await run('pages', () => api.pages.browse());
await run('pageBySlug', () => api.pages.read({slug: 'about'}));
await run('tags', () => api.tags.browse({include: 'count.posts', limit: 'all'}));
await run('tagBySlug', () => api.tags.read({slug: 'rust'}));
await run('authors', () => api.authors.browse({include: 'count.posts'}));
await run('authorBySlug', () => api.authors.read({slug: 'test-editor'}));
await run('settings', () => api.settings.browse());
await run('missing', () => api.posts.read({slug: 'secret-draft'}));
await run('badFilter', () => api.posts.browse({filter: 'title:go'}));
// Reads by id need an id from a browse.
const first = out.browse.value && out.browse.value[0];
if (first) {
  await run('postById', () => api.posts.read({id: first.id}));
}
const page = out.pages.value && out.pages.value[0];
if (page) {
  await run('pageById', () => api.pages.read({id: page.id}));
}
process.stdout.write(JSON.stringify(out));
