// End-to-end tests: Debian's chromium (playwright-core) against a real folio
// (bin/folio) on a free port with a temporary data dir.
//
//   node e2e/run.mjs                 run every test
//   node e2e/run.mjs --screenshots   also write docs/screenshots/*.png
//   node e2e/run.mjs conflict        only tests whose name contains "conflict"
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, assert, assertEq, launchBrowser, png, repo, sleep, startFolio, startReceiver, verifySignature } from './lib.mjs';

const args = process.argv.slice(2);
const SHOTS = args.includes('--screenshots');
const only = args.filter((a) => !a.startsWith('--'));
const shotDir = join(repo, 'docs/screenshots');
const TIMEOUT = 15_000;

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

let folio;
let browser;
let editor; // a second user, for the conflict
let marketer;
let author;
let hookId; // a webhook, for the keyboard, contrast and phone checks
const problems = []; // CSP violations and uncaught errors, from every page

// ---- helpers ----

async function newContext(opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  ctx.setDefaultTimeout(TIMEOUT);
  ctx.on('page', watch);
  return ctx;
}

function watch(page) {
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy|Refused to/i.test(t)) problems.push(`${page.url()}: ${t}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: uncaught ${e.message}`));
}

async function signIn(page, who, path = '/admin/', base = folio.url) {
  await page.goto(base + path);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const bodyBox = (page, name = 'Body') => page.getByRole('textbox', { name, exact: true });
const saveStatus = (page) => page.getByTestId('save-status');

async function until(fn, what, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(100);
  }
}

async function waitSaved(page) {
  await until(async () => /^Saved/.test((await saveStatus(page).textContent()) ?? ''), 'the status line to say Saved');
}

async function typeInEditor(page, text, where = 'end', name = 'Body') {
  const box = bodyBox(page, name);
  await box.click();
  await page.keyboard.press(where === 'end' ? 'Control+End' : 'Control+Home');
  await page.keyboard.type(text);
}

async function editorText(page, name = 'Body') {
  return bodyBox(page, name).evaluate((el) => (el.cmView ? el.cmView.view.state.doc.toString() : el.value ?? el.innerText));
}

async function createPost(fields, as = ADMIN) {
  const r = await folio.api('POST', '/api/v1/admin/posts', { as, body: fields });
  assertEq(r.status, 201, `create post ${r.text}`);
  return r.json.data;
}

async function getPost(id) {
  const r = await folio.api('GET', `/api/v1/admin/posts/${id}`, { as: ADMIN });
  assertEq(r.status, 200, 'get post');
  return r.json.data;
}

/** openSettings opens the editor's settings panel (slug, excerpt, tags, images, SEO). */
async function openSettings(page) {
  const b = page.getByRole('button', { name: 'Settings', exact: true });
  if ((await b.getAttribute('aria-expanded')) !== 'true') await b.click();
  await page.getByRole('complementary', { name: /settings$/ }).waitFor();
}

async function closeSettings(page) {
  const b = page.getByRole('button', { name: 'Settings', exact: true });
  if ((await b.getAttribute('aria-expanded')) === 'true') await b.click();
}

async function dismissToasts(page) {
  const close = page.getByRole('button', { name: 'Dismiss message' });
  while ((await close.count()) > 0) await close.first().click();
}

async function shot(page, name, opts = {}) {
  if (!SHOTS) return;
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: join(shotDir, `${name}.png`), ...opts });
}

async function noHorizontalScroll(page, what) {
  const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert(sw <= cw + 1, `${what}: the page scrolls sideways (${sw}px wide in a ${cw}px viewport)`);
}

// ---- tests ----

test('serving: deep links load the app, missing assets are 404, strict CSP and caching', async () => {
  const root = await fetch(folio.url + '/', { redirect: 'manual' });
  assertEq(root.status, 302, 'GET /');
  assertEq(root.headers.get('location'), '/admin/', 'GET / Location');
  const deep = await fetch(folio.url + '/admin/posts/12');
  assertEq(deep.status, 200, 'deep link');
  assertEq(deep.headers.get('cache-control'), 'no-cache', 'index Cache-Control');
  const csp = deep.headers.get('content-security-policy') ?? '';
  assert(csp.includes("script-src 'self';") && !csp.includes('unsafe-inline'), `CSP ${csp}`);
  const html = await deep.text();
  assert(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'index.html has an inline script');
  assert(!/\sstyle=/i.test(html), 'index.html has an inline style attribute');
  const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert(asset, 'index.html references a hashed script under /admin/assets/');
  const a = await fetch(folio.url + asset);
  assertEq(a.status, 200, 'asset');
  assertEq(a.headers.get('cache-control'), 'public, max-age=31536000, immutable', 'asset Cache-Control');
  const missing = await fetch(folio.url + '/admin/assets/index-00000000.js');
  assertEq(missing.status, 404, 'missing asset');
});

test('sign in: labelled fields, a wrong password is explained, the dashboard and navigation', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(folio.url + '/admin/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(page, 'sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong email or password.').waitFor();
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Posts', 'Case studies', 'Media', 'Users', 'API tokens', 'Webhooks', 'Audit log']) {
    await nav.getByRole('link', { name, exact: true }).waitFor();
  }
  await page.getByRole('heading', { name: 'Recent edits' }).waitFor();
  await page.getByRole('heading', { name: 'Your drafts' }).waitFor();
  await page.getByRole('heading', { name: 'Scheduled' }).waitFor();
  await page.locator('.counts').first().getByText('Published').waitFor();
  // The session is in the refresh cookie: a reload stays signed in.
  await page.reload();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const stored = await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
  assert(!/eyJ/.test(stored), 'an access token was written to storage');
  await shot(page, 'dashboard');
  // Sign out ends it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await ctx.close();
});

let writtenId;
test('write a post with a heading and an image and see the live preview', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, '/admin/posts');
  await page.getByRole('link', { name: 'New post' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Field notes from the e2e suite');
  assertEq(await page.getByLabel('Slug', { exact: true }).inputValue(), 'field-notes-from-the-e2e-suite', 'the slug follows the title');
  await typeInEditor(page, '## Getting started\n\nSome words about testing with a real browser.\n\n');
  await page.getByRole('button', { name: 'Image', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Insert an image' });
  await dlg.getByLabel('Image address (URL)').fill(folio.url + '/admin/favicon.svg');
  await dlg.getByLabel('Alt text').fill('The Folio logo');
  await dlg.getByRole('button', { name: 'Insert image' }).click();
  const preview = page.getByTestId('preview').first();
  await preview.locator('h2', { hasText: 'Getting started' }).waitFor();
  await preview.locator('img[alt="The Folio logo"]').waitFor();
  await page.getByRole('navigation', { name: 'Table of contents' }).getByText('Getting started').waitFor();
  await page.getByText(/\d+ words · \d+ min read/).first().waitFor();
  await until(() => /\/admin\/posts\/\d+$/.test(page.url()), 'the new post to get its address');
  writtenId = Number(page.url().split('/').pop());
  await waitSaved(page);
  // Tags: pick an existing one and create a new one (in the settings panel).
  await openSettings(page);
  const tags = page.getByLabel('Tags', { exact: true });
  await tags.fill('Databases');
  await tags.press('Enter');
  await tags.fill('E2E testing');
  await tags.press('Enter');
  await page.getByLabel('Excerpt').fill('What the end-to-end suite checks.');
  await waitSaved(page);
  const p = await getPost(writtenId);
  assert(p.body.includes('## Getting started') && p.body.includes('![The Folio logo]('), `saved body: ${p.body}`);
  assertEq(p.tags.map((t) => t.name), ['Databases', 'E2E testing'], 'tags');
  assertEq(p.slug, 'field-notes-from-the-e2e-suite', 'slug');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'post-settings');
  await closeSettings(page);
  await shot(page, 'post-editor');
  await ctx.close();
});

test('publish, and read it from the public API', async () => {
  assert(writtenId, 'needs the post from the test before');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${writtenId}`);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.locator('.head .badge', { hasText: 'Published' }).waitFor();
  const r = await folio.api('GET', '/api/v1/posts/field-notes-from-the-e2e-suite');
  assertEq(r.status, 200, 'public GET');
  assert(/<h2[^>]*>Getting started<\/h2>/.test(r.json.data.html), `public html: ${r.json.data.html}`);
  assert(r.json.data.html.includes('<img') && r.json.data.html.includes('alt="The Folio logo"'), 'the image is in the public html');
  // Now published: the actions change with the status.
  await page.getByRole('button', { name: 'Unpublish' }).waitFor();
  await page.getByRole('button', { name: 'Archive' }).waitFor();
  assertEq(await page.getByRole('button', { name: 'Publish', exact: true }).count(), 0, 'no Publish on a published post');
  await ctx.close();
});

test('schedule: the date-time picker is in the user’s time zone, stored as UTC', async () => {
  const ctx = await newContext({ timezoneId: 'America/New_York' });
  const page = await ctx.newPage();
  const post = await createPost({ title: 'Scheduled from the e2e suite', body: 'Coming soon.' });
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Schedule publication' });
  await dlg.getByText('America/New_York').waitFor();
  await dlg.getByLabel('Publish at').fill('2031-06-15T09:30');
  await dlg.getByText('2031-06-15T13:30:00Z').waitFor();
  await dlg.getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.locator('.head .badge', { hasText: 'Scheduled' }).waitFor();
  await page.getByText('goes live').waitFor();
  const p = await getPost(post.id);
  assertEq(p.status, 'scheduled', 'status');
  assertEq(p.published_at, '2031-06-15T13:30:00Z', 'publish_at in UTC');
  assertEq((await folio.api('GET', '/api/v1/posts/' + p.slug)).status, 404, 'not public yet');
  await page.getByRole('button', { name: 'Unschedule' }).waitFor();
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('region', { name: 'Scheduled' }).getByRole('link', { name: 'Scheduled from the e2e suite' }).waitFor();
  await ctx.close();
});

test('errors show next to their field; Ctrl+S saves', async () => {
  const post = await createPost({ title: 'Slug errors', body: 'Text.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await openSettings(page);
  const slug = page.getByLabel('Slug', { exact: true });
  await slug.fill('Not A Slug!');
  await page.getByText(/must be lowercase letters/).first().waitFor();
  await until(async () => /^Not saved/.test(await saveStatus(page).textContent()), 'Not saved');
  assertEq(await slug.getAttribute('aria-invalid'), 'true', 'the slug field is marked invalid');
  await slug.fill('a-good-slug');
  await page.keyboard.press('Control+s');
  await waitSaved(page);
  const p = await getPost(post.id);
  assertEq(p.slug, 'a-good-slug', 'slug saved');
  const revs = await folio.api('GET', `/api/v1/admin/posts/${post.id}/revisions`, { as: ADMIN });
  assertEq(revs.json.data[0].kind, 'save', 'Ctrl+S stores a full save, not an autosave');
  await ctx.close();
});

test('a conflict between two browsers shows the dialog and loses nothing', async () => {
  const post = await createPost({ title: 'Shared notes', body: 'Intro.\n\nMiddle.\n\nEnd.' });
  const ctxA = await newContext();
  const ctxB = await newContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await signIn(a, ADMIN, `/admin/posts/${post.id}`);
  await signIn(b, editor, `/admin/posts/${post.id}`);
  await bodyBox(a).waitFor();
  await typeInEditor(b, '\n\nParagraph from B.');
  await waitSaved(b);
  await typeInEditor(a, 'Line from A.\n\n', 'start');
  const dlg = a.getByRole('dialog', { name: 'Someone else saved this post' });
  await dlg.waitFor();
  await dlg.getByText(editor.name).waitFor();
  await dlg.getByText('Paragraph from B.').first().waitFor(); // the difference is shown
  await shot(a, 'conflict-dialog');
  await dlg.getByRole('button', { name: 'Keep mine on top of theirs' }).click();
  await waitSaved(a);
  let p = await getPost(post.id);
  assert(p.body.includes('Line from A.') && p.body.includes('Paragraph from B.'), `merged body: ${p.body}`);
  assert((await editorText(a)).includes('Paragraph from B.'), 'A now sees B’s paragraph');

  // Again, choosing theirs: A's text is set aside on the device, not lost.
  await b.reload();
  await typeInEditor(b, '\n\nB again.');
  await waitSaved(b);
  await typeInEditor(a, ' A again, unsaved.');
  await dlg.waitFor();
  await dlg.getByRole('button', { name: 'Keep theirs' }).click();
  await until(async () => (await editorText(a)).includes('B again.'), 'their text in the editor');
  await openSettings(a);
  await a.getByRole('heading', { name: 'Set-aside versions' }).waitFor();
  const aside = await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('folio:aside:')).map((k) => localStorage.getItem(k)).join('\n'));
  assert(aside.includes('A again, unsaved.'), 'the set-aside copy holds A’s text');
  p = await getPost(post.id);
  assert(p.body.includes('B again.') && p.body.includes('Line from A.'), `body: ${p.body}`);
  // And it can be brought back.
  await a.getByRole('button', { name: 'Use this version' }).click();
  await waitSaved(a);
  p = await getPost(post.id);
  assert(p.body.includes('A again, unsaved.'), `restored aside: ${p.body}`);
  await ctxA.close();
  await ctxB.close();
});

test('a reload while offline restores the unsaved text (and leaving asks first)', async () => {
  const post = await createPost({ title: 'Offline writing', body: 'Saved start.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await page.route('**/api/v1/admin/posts/*', (r) => (r.request().method() === 'PATCH' ? r.abort('internetdisconnected') : r.continue()));
  await typeInEditor(page, '\n\nWords typed while the network was down.');
  await page.getByText('Offline — kept on this device').waitFor();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.type();
    void d.accept();
  });
  await page.reload();
  assertEq(asked, 'beforeunload', 'leaving with unsaved changes asks first');
  await page.unroute('**/api/v1/admin/posts/*');
  await page.getByText(/Unsaved changes from .* were kept on this device/).waitFor();
  await page.getByRole('button', { name: 'Restore my changes' }).click();
  await until(async () => (await editorText(page)).includes('Words typed while the network was down.'), 'the restored text');
  await waitSaved(page);
  const p = await getPost(post.id);
  assert(p.body.includes('Saved start.') && p.body.includes('Words typed while the network was down.'), `body: ${p.body}`);
  await ctx.close();
});

test('leaving the editor inside the app saves what was waiting for the pause', async () => {
  const post = await createPost({ title: 'Quick exit', body: 'Start.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  let asked = false;
  page.on('dialog', (d) => ((asked = true), void d.dismiss()));
  await typeInEditor(page, ' Typed just before leaving.');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Posts', exact: true }).click();
  await page.getByRole('heading', { name: 'Posts' }).waitFor();
  assert(!asked, 'no question when the save can simply happen');
  await until(async () => (await getPost(post.id)).body.includes('Typed just before leaving.'), 'the text on the server');
  await ctx.close();
});

test('when the session ends mid-edit, a sign-in dialog appears over the editor and the text stays', async () => {
  const post = await createPost({ title: 'Long edit', body: 'Start.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await typeInEditor(page, ' Before the session ended.');
  await waitSaved(page);
  await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST' }));
  await typeInEditor(page, ' After it ended.');
  const dlg = page.getByRole('dialog', { name: 'Your session has ended' });
  await dlg.waitFor();
  assert((await editorText(page)).includes('After it ended.'), 'the text stays in the editor');
  assertEq(await dlg.getByLabel('Email').inputValue(), ADMIN.email, 'the email is filled in');
  await dlg.getByLabel('Password').fill(ADMIN.password);
  await dlg.getByRole('button', { name: 'Sign in' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await waitSaved(page);
  const p = await getPost(post.id);
  assert(p.body.includes('After it ended.'), `body: ${p.body}`);
  await ctx.close();
});

test('a marketer lands on case studies and cannot open a post editor', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, marketer);
  await until(() => page.url().endsWith('/admin/case-studies'), 'marketers to land on case studies');
  await page.getByRole('heading', { name: 'Case studies' }).waitFor();
  await page.getByRole('link', { name: 'New case study' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Dashboard' }).click(); // the landing is a default, not a wall
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assertEq(await nav.getByRole('link', { name: 'Users' }).count(), 0, 'no Users link for marketers');
  await nav.getByRole('link', { name: 'Posts', exact: true }).click();
  await page.getByRole('heading', { name: 'Posts' }).waitFor();
  assertEq(await page.getByRole('link', { name: 'New post' }).count(), 0, 'no New post for marketers');
  await page.goto(`${folio.url}/admin/posts/${writtenId}`);
  await page.getByText('Marketers can read posts but not edit them.').waitFor();
  await page.getByText('Getting started').first().waitFor(); // they may read it
  assertEq(await page.getByLabel('Title', { exact: true }).count(), 0, 'no Title field');
  assertEq(await page.getByRole('button', { name: 'Save' }).count(), 0, 'no Save button');
  await page.goto(`${folio.url}/admin/posts/new`);
  await page.getByText(/cannot create posts/).waitFor();
  await ctx.close();
});

test('an author: the buttons are the post’s allowed_actions (Save, Submit for review, Move to trash; never Publish), read only once published', async () => {
  const r = await folio.api('POST', '/api/v1/admin/posts', { as: author, body: { title: 'Ana’s first draft', body: 'A few words.' } });
  assertEq(r.status, 201, 'an author creates a post');
  const id = r.json.data.id;
  assertEq(r.json.data.allowed_actions, ['update', 'submit', 'delete'], 'what the API lets the author do to their draft');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, author, `/admin/posts/${id}`);
  const bar = page.locator('.bar .actions');
  await bar.getByRole('button', { name: 'Submit for review' }).waitFor();
  await bar.getByRole('button', { name: 'Save' }).waitFor();
  await bar.getByRole('button', { name: 'Move to trash' }).waitFor();
  for (const name of ['Publish', 'Schedule', 'Unpublish', 'Archive']) {
    assertEq(await bar.getByRole('button', { name, exact: true }).count(), 0, `no ${name} for an author`);
  }
  await bar.getByRole('button', { name: 'Submit for review' }).click();
  await until(async () => (await bar.getByRole('button', { name: 'Submit for review' }).count()) === 0, 'Submit for review to go once submitted');
  await bar.getByRole('button', { name: 'Save' }).waitFor(); // still theirs to edit while in review
  assertEq(await bar.getByRole('button', { name: 'Publish', exact: true }).count(), 0, 'no Publish in review either');
  // An editor publishes it: for its author it is read only from now on.
  assertEq((await folio.api('POST', `/api/v1/admin/posts/${id}/publish`, { as: editor })).status, 200, 'an editor publishes it');
  await page.goto(`${folio.url}/admin/posts/${id}`);
  await page.getByText('Authors can edit only their own posts while they are drafts or in review.').waitFor();
  assertEq(await page.getByRole('button', { name: 'Save' }).count(), 0, 'no Save on their published post');
  assertEq(await page.getByRole('button', { name: 'Unpublish' }).count(), 0, 'no Unpublish for an author');
  await ctx.close();
});

test('pages: a parent and a child (the picker never offers a page itself or one below it), both published, the child’s path; shown as a tree; authors read only', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, editor, '/admin/pages');
  await page.getByRole('heading', { name: 'Pages' }).waitFor();
  // The parent.
  await page.getByRole('link', { name: 'New page' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Our services');
  await typeInEditor(page, 'What we do for our clients.');
  await until(() => /\/admin\/pages\/\d+$/.test(page.url()), 'the new page to get its address');
  const parentId = Number(page.url().split('/').pop());
  await waitSaved(page);
  await page.locator('.bar').getByRole('button', { name: 'Publish', exact: true }).click();
  await page.locator('.head .badge', { hasText: 'Published' }).waitFor();
  // The child, under it, second in its menu.
  await page.goto(`${folio.url}/admin/pages/new`);
  await page.getByLabel('Title', { exact: true }).fill('Backend development');
  await typeInEditor(page, 'APIs, databases and the services behind them.');
  await until(() => /\/admin\/pages\/\d+$/.test(page.url()), 'the child page to get its address');
  const childId = Number(page.url().split('/').pop());
  await openSettings(page);
  await page.getByLabel('Parent page').selectOption({ label: 'Our services' });
  await page.getByLabel('Menu order').fill('2');
  await waitSaved(page);
  await page.getByTestId('page-path').getByText('/our-services/backend-development').waitFor();
  await shot(page, 'page-settings');
  await page.locator('.bar').getByRole('button', { name: 'Publish', exact: true }).click();
  await page.locator('.head .badge', { hasText: 'Published' }).waitFor();
  const r = await folio.api('GET', '/api/v1/pages/backend-development');
  assertEq(r.status, 200, 'the child in the public API');
  assertEq(r.json.data.path, '/our-services/backend-development', 'the child’s path comes from its parent’s slug');
  // The parent's picker offers neither the parent itself nor its child.
  await page.goto(`${folio.url}/admin/pages/${parentId}`);
  await openSettings(page);
  const options = await page.getByLabel('Parent page').locator('option').allTextContents();
  assert(!options.some((o) => o.includes('Our services') || o.includes('Backend development')), `the parent picker offers: ${options.join(' | ')}`);
  // The list: the child indented under its parent.
  await page.goto(`${folio.url}/admin/pages`);
  const titles = page.locator('table.entries tbody td.title');
  await titles.first().waitFor();
  const rows = (await titles.allTextContents()).map((t) => t.trim());
  const at = rows.findIndex((t) => t.startsWith('Our services'));
  assert(at >= 0 && rows[at + 1]?.includes('└') && rows[at + 1]?.includes('Backend development'), `the list as a tree: ${rows.join(' | ')}`);
  await page.locator('table.entries').getByText('/our-services/backend-development').waitFor();
  await shot(page, 'pages-list');
  await ctx.close();
  // Authors read pages and cannot change them.
  const actx = await newContext();
  const ap = await actx.newPage();
  await signIn(ap, author, '/admin/pages');
  await ap.getByRole('heading', { name: 'Pages' }).waitFor();
  assertEq(await ap.getByRole('link', { name: 'New page' }).count(), 0, 'no New page for authors');
  await ap.goto(`${folio.url}/admin/pages/${childId}`);
  await ap.getByText('Authors can read pages but not edit them.').waitFor();
  assertEq(await ap.getByRole('button', { name: 'Publish', exact: true }).count(), 0, 'no Publish for authors');
  assertEq(await ap.getByRole('button', { name: 'Save' }).count(), 0, 'no Save for authors');
  await actx.close();
});

test('case-study editor: chips, sections with preview, metrics rows', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, marketer, '/admin/case-studies/new');
  await page.getByLabel('Title', { exact: true }).fill('Faster invoices for Ardent Co');
  await page.getByLabel('Client', { exact: true }).fill('Ardent Co');
  await page.getByLabel('Industry', { exact: true }).fill('Finance');
  for (const [label, values] of [['Services', ['Design', 'Engineering']], ['Technologies', ['Go', 'SQLite']]]) {
    const input = page.getByLabel(label, { exact: true });
    for (const v of values) {
      await input.fill(v);
      await input.press('Enter');
    }
  }
  await page.getByLabel('Summary', { exact: true }).fill('Invoices went out the same day.');
  // ### inside a section: ## is kept for the sections themselves (a 422).
  await typeInEditor(page, '### Before\n\nInvoices took a week.', 'end', 'Challenge');
  await page.getByTestId('preview').first().locator('h3', { hasText: 'Before' }).waitFor();
  await page.getByRole('button', { name: 'Add metric' }).click();
  await page.getByLabel('Value 1').fill('5 days');
  await page.getByLabel('Label 1').fill('saved per invoice');
  await page.getByRole('button', { name: 'Add metric' }).click();
  await page.getByLabel('Value 2').fill('99%');
  await page.getByLabel('Label 2').fill('on time');
  await page.getByRole('button', { name: 'Move metric 2 up' }).click();
  await page.getByRole('textbox', { name: 'Quote', exact: true }).fill('We get paid faster.');
  await page.getByLabel('Who said it').fill('Ana Ardent');
  await until(() => /\/admin\/case-studies\/\d+$/.test(page.url()), 'the new case study to get its address');
  await waitSaved(page);
  const id = Number(page.url().split('/').pop());
  const r = await folio.api('GET', `/api/v1/admin/case-studies/${id}`, { as: ADMIN });
  const cs = r.json.data;
  assertEq(cs.services, ['Design', 'Engineering'], 'services');
  assertEq(cs.technologies, ['Go', 'SQLite'], 'technologies');
  assertEq(cs.metrics, [{ label: 'on time', value: '99%' }, { label: 'saved per invoice', value: '5 days' }], 'metrics, reordered');
  assertEq(cs.testimonial?.author, 'Ana Ardent', 'testimonial');
  await page.getByRole('button', { name: 'Remove metric 1' }).click();
  await waitSaved(page);
  assertEq((await folio.api('GET', `/api/v1/admin/case-studies/${id}`, { as: ADMIN })).json.data.metrics.length, 1, 'a metric removed');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.locator('.head .badge', { hasText: 'Published' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'case-study-editor');
  await ctx.close();
});

test('revisions: from the header, compared with the editor’s text or the version before, restored after asking; a save without changes adds none', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const post = await createPost({ title: 'Revised', body: 'First version.' });
  await folio.api('PUT', `/api/v1/admin/posts/${post.id}`, { as: ADMIN, body: { title: 'Revised', body: 'Second version.', version: 1 } });
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(page).waitFor();
  // Save with nothing changed: no new version, no new revision.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await waitSaved(page);
  const revs = await folio.api('GET', `/api/v1/admin/posts/${post.id}/revisions`, { as: ADMIN });
  assertEq(revs.json.meta.total, 2, 'revisions after a save without changes');
  assertEq((await getPost(post.id)).version, 2, 'the version after a save without changes');

  await page.getByRole('button', { name: 'Revisions', exact: true }).click();
  const list = page.getByRole('dialog', { name: 'Revisions' });
  await list.getByText('(current)').waitFor();
  await list.getByRole('button', { name: 'View version 1' }).click();
  const dlg = page.getByRole('dialog', { name: 'Version 1' });
  // By default: against the text in the editor (what restoring would change).
  await dlg.getByText(/What differs from the editor/).waitFor();
  await dlg.locator('.line.del', { hasText: 'Second version.' }).waitFor();
  await dlg.locator('.line.ins', { hasText: 'First version.' }).waitFor();
  assertEq(await dlg.getByRole('button', { name: 'The text in the editor' }).getAttribute('aria-pressed'), 'true', 'compared with the editor by default');
  assert(await dlg.getByRole('button', { name: 'The version before' }).isDisabled(), 'version 1 has no version before');
  await dlg.getByRole('button', { name: 'Back to the list' }).click();
  await list.getByRole('button', { name: 'View version 2' }).click();
  const dlg2 = page.getByRole('dialog', { name: 'Version 2' });
  await dlg2.getByTestId('revision-same').getByText('The editor holds the same text as this version.').waitFor();
  await dlg2.getByRole('button', { name: 'The version before' }).click();
  await dlg2.locator('.line.del', { hasText: 'First version.' }).waitFor(); // the diff against version 1, on request
  await dlg2.locator('.line.ins', { hasText: 'Second version.' }).waitFor();
  await shot(page, 'revisions');
  await dlg2.getByRole('button', { name: 'Back to the list' }).click();
  await list.getByRole('button', { name: 'View version 1' }).click();
  // Restoring asks first; Cancel changes nothing.
  await dlg.getByRole('button', { name: 'Restore this version…' }).click();
  await dlg.getByText(/Restore version 1\?/).waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assertEq((await getPost(post.id)).body, 'Second version.', 'nothing restored on Cancel');
  await dlg.getByRole('button', { name: 'Restore this version…' }).click();
  await dlg.getByRole('button', { name: 'Restore version 1' }).click();
  await page.getByText(/Restored version 1 as version 3/).waitFor();
  await until(async () => (await editorText(page)) === 'First version.', 'the restored text in the editor');
  assertEq((await getPost(post.id)).body, 'First version.', 'restored on the server');
  await ctx.close();
});

test('admin screens: users, API tokens (secret shown once, copy, revoke), audit log', async () => {
  const ctx = await newContext();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: folio.url });
  const page = await ctx.newPage();
  await signIn(page, ADMIN, '/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dlg = page.getByRole('dialog', { name: 'New user' });
  await dlg.getByLabel('Email').fill('cora@example.com');
  await dlg.getByLabel('Name').fill('Cora Author');
  await dlg.getByLabel('Role').selectOption('author');
  await dlg.getByLabel('Password').fill('password1234');
  await dlg.getByRole('button', { name: 'Create user' }).click();
  await dlg.locator('.field-error').first().waitFor(); // a common password is refused, next to the field
  await dlg.getByLabel('Password').fill('amber otter kettle 77');
  await dlg.getByRole('button', { name: 'Create user' }).click();
  await page.getByRole('cell', { name: /Cora Author/ }).waitFor();
  // A role change asks first, and says it ends their sessions; Cancel keeps the role.
  const roleSelect = page.getByLabel('Role of cora@example.com');
  await roleSelect.selectOption('marketer'); // as one ArrowDown on the select did
  const ask = page.getByRole('dialog', { name: 'Change this user’s role?' });
  await ask.getByText(/This ends their sessions/).waitFor();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  assertEq(await roleSelect.inputValue(), 'author', 'the select shows the role again after Cancel');
  const cora = (await folio.api('GET', '/api/v1/admin/users?q=cora', { as: ADMIN })).json.data[0];
  assertEq(cora.role, 'author', 'the role is unchanged after Cancel');
  await roleSelect.selectOption('editor');
  await ask.getByRole('button', { name: 'Make them editor' }).click();
  await page.getByText('cora@example.com: role is now editor; their sessions have ended.').waitFor();
  assertEq(await roleSelect.inputValue(), 'editor', 'the select shows the new role');
  const row = page.getByRole('row', { name: /cora@example.com/ });
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByRole('cell', { name: 'Disabled' }).waitFor();
  await shot(page, 'users');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Name').fill('Website');
  await page.getByLabel('Scope').selectOption('preview');
  await page.getByRole('button', { name: 'Create token' }).click();
  const tdlg = page.getByRole('dialog', { name: 'Your new token' });
  const secret = await tdlg.getByLabel(/Secret for/).inputValue();
  assert(secret.startsWith('folio_'), `secret ${secret}`);
  await tdlg.getByRole('button', { name: 'Copy' }).click();
  await tdlg.getByRole('button', { name: 'Copied' }).waitFor();
  assertEq(await page.evaluate(() => navigator.clipboard.readText()), secret, 'clipboard');
  await tdlg.getByRole('button', { name: 'I have stored it' }).click();
  assertEq(await page.getByText(secret).count(), 0, 'the secret is not shown again');
  assertEq((await folio.api('GET', '/api/v1/posts', { headers: { Authorization: `Bearer ${secret}` } })).status, 200, 'the token works');
  await page.getByRole('button', { name: 'Revoke Website' }).click();
  await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke token' }).click();
  await page.getByText('The token list is empty').or(page.getByText('No tokens yet.')).waitFor();
  // A Ghost content key, for Ghost frontends: 26 hex characters that Ghost's own API answers to.
  await page.getByLabel('Name').fill('Ghost starter');
  await page.getByLabel('Format').selectOption('ghost');
  await page.getByRole('button', { name: 'Create token' }).click();
  const gdlg = page.getByRole('dialog', { name: 'Your new token' });
  const ghostKey = await gdlg.getByLabel(/Secret for/).inputValue();
  assert(/^[0-9a-f]{26}$/.test(ghostKey), `Ghost content key ${ghostKey}`);
  await gdlg.getByRole('button', { name: 'I have stored it' }).click();
  await page.getByRole('row', { name: /Ghost starter/ }).getByRole('cell', { name: 'ghost', exact: true }).waitFor();
  assertEq((await folio.api('GET', `/ghost/api/content/posts/?key=${ghostKey}`)).status, 200, 'the Ghost key works on the Ghost API');
  await page.getByRole('button', { name: 'Revoke Ghost starter' }).click();
  await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke token' }).click();
  await page.getByText('No tokens yet.').waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByText('api_token.delete').first().waitFor();
  await page.getByLabel('Record type').selectOption('user');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('user.create').first().waitFor();
  await until(async () => (await page.getByText('api_token.delete').count()) === 0 && page.url().includes('record_type=user'), 'the list filtered by record type');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
  await page.getByRole('button', { name: 'New webhook' }).waitFor();
  await ctx.close();
});

test('lists: search, status filter, tag filter, sort, badges', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await createPost({ title: 'Tagged for the list test', body: 'About lists.', tags: ['List filter tag'] });
  await signIn(page, ADMIN, '/admin/posts');
  await page.getByRole('link', { name: 'Tagged for the list test' }).waitFor();
  await page.getByLabel('Search titles').fill('database');
  await page.getByRole('button', { name: 'Search' }).click();
  await until(() => page.url().includes('q=database'), 'the search in the URL');
  await page.getByRole('link', { name: /Choosing a database/ }).waitFor();
  await until(async () => (await page.getByRole('link', { name: 'Tagged for the list test' }).count()) === 0, 'the search to narrow the list');
  await page.goto(folio.url + '/admin/posts');
  await page.getByLabel('Draft', { exact: true }).check();
  await until(() => page.url().includes('status=draft'), 'the status filter');
  await page.getByRole('link', { name: /How we estimate/ }).waitFor();
  await until(async () => (await page.locator('tbody .badge').filter({ hasNotText: 'Draft' }).count()) === 0, 'only drafts');
  await page.goto(folio.url + '/admin/posts');
  await page.getByLabel('Tag', { exact: true }).selectOption('List filter tag');
  await page.getByRole('link', { name: 'Tagged for the list test' }).waitFor();
  await until(async () => (await page.locator('tbody tr').count()) === 1, 'one post with that tag');
  await page.goto(folio.url + '/admin/posts?sort=title');
  await until(async () => (await page.locator('tbody tr').count()) > 5 && (await page.locator('table.entries[aria-busy="false"]').count()) === 1, 'the sorted list');
  const titles = await page.locator('tbody td.title a').allTextContents();
  assertEq(titles, [...titles].sort((x, y) => x.localeCompare(y, undefined, { sensitivity: 'base' })), 'sorted by title');
  await page.locator('tbody .badge', { hasText: 'Published' }).first().waitFor();
  await shot(page, 'posts-list');
  await ctx.close();
});

test('lists: a slow answer to an older search never replaces the newer one (users)', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const user = (email) => page.locator('td[data-label="User"]', { hasText: email });
  await signIn(page, ADMIN, '/admin/users');
  await user('bea@example.com').waitFor();
  // Hold the answer to the first search until the second one is on screen.
  let release;
  const gate = new Promise((r) => (release = r));
  let held = null;
  await page.route('**/api/v1/admin/users?*', async (route) => {
    if (new URL(route.request().url()).searchParams.get('q') !== 'bea') return route.continue();
    held = route.request();
    await gate;
    await route.continue().catch(() => {}); // the app may have given up on it already
  });
  const settled = new Promise((r) => {
    const done = (req) => req === held && r();
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  });
  const search = page.getByRole('search');
  await search.getByLabel('Search users').fill('bea');
  await search.getByRole('button', { name: 'Search' }).click();
  await until(() => held !== null, 'the first search to be sent');
  await search.getByLabel('Search users').fill('ana');
  await search.getByRole('button', { name: 'Search' }).click();
  await user('ana@example.com').waitFor();
  release();
  await settled;
  await sleep(300); // what a late answer would show, it would show by now
  assertEq(await user('bea@example.com').count(), 0, 'the older search’s answer is not shown');
  assertEq(await user('ana@example.com').count(), 1, 'the newer search’s answer stays');
  assert(page.url().endsWith('?q=ana'), `the URL says the newer search: ${page.url()}`);
  await ctx.close();
});


// ---- the editor editors prefer (issue 16) ----

test('the editor knows what happened elsewhere: it asks with If-None-Match, takes a new status and others’ fields in without a dialog', async () => {
  const post = await createPost({ title: 'Watched elsewhere', body: 'Opening line.', excerpt: 'Old excerpt.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  const checks = [];
  page.on('response', (r) => {
    const h = r.request().headers()['if-none-match'];
    if (h && r.url().endsWith(`/api/v1/admin/posts/${post.id}`)) checks.push({ etag: h, status: r.status() });
  });
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(page).waitFor();
  // Every ~15 s while visible: a 304 costs no body.
  await until(() => checks.some((c) => c.status === 304 && c.etag === '"1"'), 'a check with If-None-Match answered 304', 20_000);
  // Someone publishes it while the user types: the status updates, no dialog.
  await typeInEditor(page, ' Typed while it went live.');
  assertEq((await folio.api('POST', `/api/v1/admin/posts/${post.id}/publish`, { as: editor })).status, 200, 'publish by the editor');
  await page.evaluate(() => window.dispatchEvent(new Event('focus'))); // as when the user comes back to the tab
  await page.locator('.head .badge', { hasText: 'Published' }).waitFor();
  await page.getByRole('button', { name: 'Unpublish' }).waitFor();
  assertEq(await page.getByRole('button', { name: 'Publish', exact: true }).count(), 0, 'Publish is no longer offered');
  await waitSaved(page);
  assertEq(await page.getByRole('dialog', { name: /saved this post/ }).count(), 0, 'no conflict dialog for a status change');
  let p = await getPost(post.id);
  assert(p.body.includes('Typed while it went live.') && p.status === 'published', `body and status: ${p.status} ${p.body}`);
  // Someone changes another field (the excerpt) while the user types in the body: merged silently.
  await typeInEditor(page, ' More words.');
  const put = await folio.api('PATCH', `/api/v1/admin/posts/${post.id}`, { as: editor, body: { excerpt: 'Excerpt by Bea.', version: p.version }, headers: { 'Content-Type': 'application/merge-patch+json' } });
  assertEq(put.status, 200, `patch by the editor ${put.text}`);
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await until(async () => {
    const q = await getPost(post.id);
    return q.excerpt === 'Excerpt by Bea.' && q.body.includes('More words.') && q.version > put.json.data.version;
  }, 'both changes on the server');
  await waitSaved(page);
  assertEq(await page.getByRole('dialog', { name: /saved this post/ }).count(), 0, 'no conflict dialog for a change to another field');
  await openSettings(page);
  assertEq(await page.getByLabel('Excerpt').inputValue(), 'Excerpt by Bea.', 'the editor shows the other field as saved elsewhere');
  await ctx.close();
});

test('the same entry in two tabs: each says so, a tab with nothing typed takes the other’s save, a clash names “you, in another tab”', async () => {
  const post = await createPost({ title: 'Two tabs', body: 'First paragraph.\n\nSecond paragraph.' });
  const ctx = await newContext();
  const a = await ctx.newPage();
  await signIn(a, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(a).waitFor();
  const b = await ctx.newPage();
  await b.goto(`${folio.url}/admin/posts/${post.id}`);
  await bodyBox(b).waitFor();
  await a.getByTestId('other-tabs').waitFor();
  await b.getByTestId('other-tabs').getByText('Also open in another tab').waitFor();
  // A saves; B, with nothing typed, shows A's text at once.
  await typeInEditor(a, '\n\nWritten in tab A.');
  await waitSaved(a);
  await until(async () => (await editorText(b)).includes('Written in tab A.'), 'tab B to take tab A’s save');
  // Both type in the body before either saves: the later save shows the dialog, naming the user's other tab.
  await b.route('**/api/v1/admin/posts/*', async (r) => {
    if (r.request().method() === 'PATCH') await sleep(2500); // B's save arrives after A's
    await r.continue();
  });
  await typeInEditor(b, ' From B.', 'start');
  await typeInEditor(a, ' From A.');
  const dlg = b.getByRole('dialog', { name: 'You saved this post elsewhere' });
  await dlg.waitFor({ timeout: 20_000 });
  await dlg.getByText('You, in another tab').waitFor();
  await dlg.getByRole('button', { name: 'Keep mine on top of theirs' }).click();
  await waitSaved(b);
  const p = await getPost(post.id);
  assert(p.body.includes('From A.') && p.body.includes('From B.'), `merged body: ${p.body}`);
  // Leaving the entry in one tab: the other stops saying so.
  await b.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Posts', exact: true }).click();
  await until(async () => (await a.getByTestId('other-tabs').count()) === 0, 'tab A to notice tab B closed');
  await ctx.close();
});

test('typing before the title: a quiet hint, nothing moves the text, never “Saved” before a save', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, '/admin/posts/new');
  await bodyBox(page).waitFor();
  assertEq((await saveStatus(page).textContent()).trim(), 'Not saved yet', 'an untouched new post is not “Saved”');
  const box = bodyBox(page);
  // Measured once the editor has replaced the plain textarea it loads over (its text box sits inside
  // the editor's 1 px border, the textarea's is the border): what is compared is the box typed into.
  await page.locator('.cm-content').first().waitFor();
  const y0 = (await box.boundingBox()).y;
  await typeInEditor(page, 'Words before any title, typed for a while.');
  await sleep(2500); // past the autosave pause
  assert(/^Not saved yet: give it a title/.test(await saveStatus(page).textContent()), `quiet hint: ${await saveStatus(page).textContent()}`);
  assertEq(await page.getByRole('alert').count(), 0, 'no alert while typing');
  assertEq(await page.locator('.field-error').count(), 0, 'no field error while typing');
  assertEq((await box.boundingBox()).y, y0, 'the text did not move');
  assertEq(await saveStatus(page).evaluate((el) => getComputedStyle(el).color === getComputedStyle(document.querySelector('.status.error') ?? el).color && el.classList.contains('waiting')), true, 'the hint is not styled as an error');
  // Leaving the text: now the title says what it needs.
  await page.getByLabel('Title', { exact: true }).focus();
  await page.getByText('Give it a title to save it.').waitFor();
  assertEq(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid'), 'true', 'the title is marked');
  await page.getByLabel('Title', { exact: true }).fill('Titled at last');
  await until(() => /\/admin\/posts\/\d+$/.test(page.url()), 'the post to be created');
  await waitSaved(page);
  assertEq(await page.getByText('Give it a title to save it.').count(), 0, 'the title error is gone');
  await ctx.close();
});

test('errors in words: a publish that needs alt text says so, and its link takes you to the field', async () => {
  const post = await createPost({ title: 'Needs alt text', body: 'Text.', cover_image: { url: 'https://img.example.com/cover.png', alt: '' } });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const problems = page.getByTestId('problems');
  const link = problems.getByRole('link', { name: 'The cover image needs alt text before it can be published.' });
  await link.waitFor();
  assertEq(await problems.getByText('cover_image.alt').count(), 0, 'no field paths shown');
  await shot(page, 'errors-in-words');
  await link.click();
  const focused = await page.evaluate(() => ({ label: document.activeElement?.labels?.[0]?.textContent, invalid: document.activeElement?.getAttribute('aria-invalid') }));
  assertEq(focused, { label: 'Alt text', invalid: 'true' }, 'the link focuses the cover image’s alt text (in the settings panel)');
  await page.keyboard.type('A mountain at dawn');
  await waitSaved(page);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.locator('.head .badge', { hasText: 'Published' }).waitFor();
  assertEq(await problems.count(), 0, 'the problems are gone once published');
  await ctx.close();
});

test('writing Markdown: lists continue and indent, Esc then Tab leaves, the / menu, search, shortcuts, a toolbar of one tab stop', async () => {
  const post = await createPost({ title: 'Keyboard writing', body: '' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  const box = bodyBox(page);
  await box.click();
  await page.keyboard.type('- one');
  await page.keyboard.press('Enter');
  await page.keyboard.type('two');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.type('three');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // an empty item ends the list
  await page.keyboard.type('After the list.');
  await waitSaved(page);
  assertEq((await getPost(post.id)).body, '- one\n  - two\n- three\n\nAfter the list.', 'Enter continues, Tab and Shift+Tab indent, Enter on an empty item ends');
  assertEq(await page.evaluate(() => document.activeElement?.closest('.cm-editor') !== null), true, 'Tab inside a list stays in the editor');
  // Escape, then Tab, leaves the editor; the editor says so.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assertEq(await page.evaluate(() => document.activeElement?.closest('.cm-editor') === null), true, 'Esc then Tab leaves the editor');
  const described = await box.getAttribute('aria-describedby');
  assert(described && (await page.locator(`[id="${described.split(' ').pop()}"]`).textContent()).includes('Esc then Tab leaves the text'), 'the editor tells keyboard users how to leave');
  // The / menu inserts a table.
  await box.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('/tab');
  const menu = page.getByRole('listbox');
  await menu.getByText('Table').waitFor();
  await sleep(200); // CodeMirror takes no Enter in the first moments of a menu (so a fast typist does not pick by accident)
  await page.keyboard.press('Enter');
  await until(async () => (await editorText(page)).includes('| Column | Column |'), 'the table in the text');
  await page.keyboard.type('Name');
  await waitSaved(page);
  assert((await getPost(post.id)).body.includes('| Name | Column |\n|---|---|\n| Cell | Cell |'), 'the table, its placeholder selected and typed over');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('/call');
  await menu.getByText('Call to action').waitFor();
  await sleep(200);
  await page.keyboard.press('Enter');
  await until(async () => (await editorText(page)).includes('[Get in touch](https://)'), 'the call to action in the text');
  // Ctrl+F is CodeMirror's search.
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find' });
  await find.waitFor();
  await find.fill('three');
  await page.keyboard.press('Enter');
  await page.locator('.cm-searchMatch').first().waitFor();
  await page.keyboard.press('Escape');
  // Shortcuts: Ctrl+/ in the text, ? outside it.
  await box.click();
  await page.keyboard.press('Control+/');
  const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await keys.getByText('Search in the text').waitFor();
  await shot(page, 'shortcuts');
  await page.keyboard.press('Escape');
  await keys.waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: 'Edit post' }).click();
  await page.keyboard.press('?');
  await keys.waitFor();
  await page.keyboard.press('Escape');
  // The toolbar is one tab stop; arrows move inside it.
  const toolbar = page.getByRole('toolbar', { name: 'Body formatting' });
  await toolbar.getByRole('button', { name: 'Heading', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  assertEq(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Subheading', 'ArrowRight moves to the next button');
  await page.keyboard.press('End');
  assertEq(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Image', 'End moves to the last button');
  await page.keyboard.press('Tab');
  assertEq(await page.evaluate(() => document.activeElement?.closest('.cm-editor') !== null), true, 'one Tab from the toolbar reaches the text');
  await page.keyboard.press('Shift+Tab');
  assertEq(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Image', 'Shift+Tab goes back to the button last used');
  assertEq(await toolbar.locator('button[tabindex="0"]').count(), 1, 'one button of the toolbar is in the tab order');
  await waitSaved(page);
  await ctx.close();
});

test('preview beside the text from 1200 px: a sticky pane that follows the text by heading; settings open beside the text', async () => {
  const sections = Array.from({ length: 12 }, (_, i) => `## Section ${i + 1}\n\n${Array.from({ length: 6 }, () => `Paragraph of section ${i + 1} with enough words to take a few lines in the editor and in the preview.`).join('\n\n')}`);
  const post = await createPost({ title: 'A long read', body: sections.join('\n\n'), tags: ['Long reads'] });
  const ctx = await newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(page).waitFor();
  const pane = page.locator('.md-preview').first();
  await pane.locator('h2', { hasText: 'Section 12' }).waitFor({ state: 'attached' });
  assertEq(await pane.evaluate((el) => getComputedStyle(el).position), 'sticky', 'the preview is sticky');
  const eb = await bodyBox(page).boundingBox();
  const pb = await pane.boundingBox();
  assert(pb.x >= eb.x + eb.width - 1, `the preview is beside the text (text ${eb.x}+${eb.width}, preview at ${pb.x})`);
  // Scroll the text to section 8: the preview shows section 8 at its top.
  // (CodeMirror draws only the lines near the viewport: scroll down until section 8 is drawn.)
  const line8 = page.locator('.cm-line', { hasText: '## Section 8' });
  for (let i = 0; i < 60 && (await line8.count()) === 0; i++) await page.mouse.wheel(0, 500);
  // Just above the pane's top. Drawing the lines it scrolls to makes CodeMirror measure them, and
  // measured lines move what is below them: scroll again until the heading stays where it was put.
  for (let i = 0; i < 20; i++) {
    const y = await line8.evaluate((el) => el.getBoundingClientRect().top);
    if (Math.abs(y - 120) < 4) break;
    await line8.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 120));
    await page.waitForTimeout(100);
  }
  await until(async () => {
    const r = await pane.evaluate((el) => {
      const h = [...el.querySelectorAll('h2')].find((x) => x.textContent === 'Section 8');
      const top = h.getBoundingClientRect().top - el.getBoundingClientRect().top;
      return top >= 0 && top < el.clientHeight / 2;
    });
    return r;
  }, 'the preview to show section 8');
  const stillInView = await pane.boundingBox();
  assert(stillInView.y >= 0 && stillInView.y < 400, `the preview stays in view (${stillInView.y})`);
  await shot(page, 'post-editor-long');
  // Settings: beside the text, closed with Escape, focus back on the button.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Post settings' });
  await panel.getByLabel('Tags', { exact: true }).waitFor();
  const sb = await panel.boundingBox();
  assert(sb.x > 600 && sb.y < 100, `the settings panel opens beside the text (${sb.x}, ${sb.y})`);
  await panel.getByLabel('Excerpt').focus();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assertEq(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Settings', 'focus returns to the Settings button');
  // Narrower: Write and Preview tabs instead.
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.getByRole('button', { name: 'Preview', exact: true }).first().click();
  await pane.locator('h2', { hasText: 'Section 1' }).first().waitFor();
  await ctx.close();
});

test('one request per pause: the preview comes from the save’s answer', async () => {
  const post = await createPost({ title: 'One request', body: '## Start\n\nText.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(page).waitFor();
  await page.getByTestId('preview').first().locator('h2', { hasText: 'Start' }).waitFor();
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/admin/') && r.method() !== 'GET') sent.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await typeInEditor(page, '\n\n## Added heading');
  await waitSaved(page);
  await page.getByTestId('preview').first().locator('h2', { hasText: 'Added heading' }).waitFor();
  assertEq(sent, [`PATCH /api/v1/admin/posts/${post.id}`], 'one request for the pause: the save');
  await ctx.close();
});

test('a 50,000-word post on Slow 3G: “Saved” within 3 s of the last key (one small request: splices)', async () => {
  const words = 'backend developers build the parts of software that people never see but always use'.split(' ');
  const parts = [];
  for (let s = 0; s < 100; s++) {
    parts.push(`## Part ${s + 1}`);
    for (let p = 0; p < 5; p++) parts.push(Array.from({ length: 100 }, (_, i) => words[(s * 7 + p * 3 + i) % words.length]).join(' ') + '.');
  }
  const body = parts.join('\n\n');
  const post = await createPost({ title: 'Do you know what backend developers do?', body });
  assert((await getPost(post.id)).word_count >= 50_000, 'a 50,000-word post');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(page).waitFor();
  await page.locator('.cm-editor').waitFor();
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/admin/') && r.method() !== 'GET') sent.push({ what: `${r.method()} ${new URL(r.url()).pathname}`, bytes: (r.postData() ?? '').length });
  });
  // Chrome's Slow 3G: 2 s of latency, 400 kbit/s (50,000 bytes/s) each way.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 });
  try {
    await bodyBox(page).click();
    await page.keyboard.press('Control+End');
    // Timed in the page, from the last key to the status line saying Saved,
    // so neither the test's polling nor the driver's round trips count.
    await page.evaluate(() => {
      window.__lastKey = 0;
      window.__savedAt = 0;
      document.addEventListener('keydown', () => { window.__lastKey = performance.now(); window.__savedAt = 0; }, true);
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid="save-status"]')?.textContent ?? '';
        if (window.__lastKey && !window.__savedAt && /^Saved/.test(status)) window.__savedAt = performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.keyboard.type(' Typed on a slow train.', { delay: 30 });
    await until(() => page.evaluate(() => window.__savedAt > 0), '“Saved”', 15_000);
    const took = Math.round(await page.evaluate(() => window.__savedAt - window.__lastKey));
    console.log(`     Slow 3G: “Saved” ${(took / 1000).toFixed(2)} s after the last key; sent ${sent.map((x) => `${x.what} ${x.bytes} B`).join(', ')}`);
    assert(took <= 3000, `“Saved” came ${took} ms after the last key (at most 3000)`);
    assertEq(sent.length, 1, 'one request for the pause');
    assert(sent[0].bytes < 2000, `the save sent ${sent[0].bytes} bytes`);
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  }
  // The preview came from the answer's splices, and the server has the text.
  await page.getByTestId('preview').first().getByText(/Typed on a slow train\./).waitFor();
  const p = await getPost(post.id);
  assert(p.body.endsWith('Typed on a slow train.'), `saved body ends: ${p.body.slice(-60)}`);
  await ctx.close();
});

test('lists: several at once (publish, add a tag, trash, restore asks before republishing); dashboard counts link; filters fold on a phone', async () => {
  const tag = 'Bulk batch';
  const made = [];
  for (const n of [1, 2, 3]) made.push(await createPost({ title: `Bulk post ${n}`, body: 'Text.', tags: [tag] }));
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, '/admin/posts?tag=bulk-batch');
  await until(async () => (await page.locator('tbody tr').count()) === 3, 'the three posts');
  await page.getByLabel('Choose every post on this page').check();
  const bar = page.getByRole('region', { name: 'Chosen posts' });
  await bar.getByText('3 chosen').waitFor();
  await bar.getByRole('button', { name: 'Publish', exact: true }).click();
  let dlg = page.getByRole('dialog', { name: 'Publish: 3 posts?' });
  await dlg.getByText(/3 posts go live now/).waitFor();
  await dlg.getByRole('button', { name: 'Publish 3 posts' }).click();
  await page.getByText('Published: 3 posts.').waitFor();
  for (const p of made) assertEq((await getPost(p.id)).status, 'published', `post ${p.id} published`);
  // Add a tag to two of them.
  await page.getByLabel('Choose “Bulk post 1”').check();
  await page.getByLabel('Choose “Bulk post 2”').check();
  await bar.getByRole('button', { name: 'Add a tag…' }).click();
  dlg = page.getByRole('dialog', { name: 'Add a tag: 2 posts?' });
  await dlg.getByLabel('Tag to add').fill('Featured batch');
  await dlg.getByRole('button', { name: 'Add a tag 2 posts' }).click();
  await page.getByText('Tagged 2 posts “Featured batch”.').waitFor();
  assertEq((await getPost(made[0].id)).tags.map((t) => t.name), [tag, 'Featured batch'], 'tag added');
  assertEq((await getPost(made[2].id)).tags.map((t) => t.name), [tag], 'the third untouched');
  // Trash one; restoring it from the trash says it will be public again, and asks.
  await page.getByLabel('Choose “Bulk post 3”').check();
  await bar.getByRole('button', { name: 'Move to trash' }).click();
  await page.getByRole('dialog', { name: 'Move to trash: 1 post?' }).getByRole('button', { name: 'Move to trash 1 post' }).click();
  await page.getByText('Moved to the trash: 1 post.').waitFor();
  await page.goto(folio.url + '/admin/trash');
  await page.getByRole('button', { name: 'Restore Bulk post 3' }).click();
  const ask = page.getByRole('dialog', { name: 'Restore and publish again?' });
  await ask.getByText('returns as Published: it is public again at once').waitFor();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  assert((await getPost(made[2].id)).trashed_at, 'still in the trash after Cancel');
  await page.getByRole('button', { name: 'Restore Bulk post 3' }).click();
  await ask.getByRole('button', { name: 'Restore as published' }).click();
  await page.getByText('Restored “Bulk post 3” as published.').waitFor();
  assertEq((await getPost(made[2].id)).trashed_at, null, 'restored');
  // The dashboard's counts link to their lists.
  await page.goto(folio.url + '/admin/');
  await page.locator('.counts').first().getByRole('link', { name: /Published/ }).click();
  await until(() => page.url().endsWith('/admin/posts?status=published'), 'the published posts list');
  await page.getByLabel('Published').waitFor();
  assertEq(await page.getByLabel('Published').isChecked(), true, 'the list is filtered by status');
  await ctx.close();

  // A phone: the filters fold behind a button, and the first row shows without scrolling.
  const phone = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const pp = await phone.newPage();
  await signIn(pp, ADMIN, '/admin/posts');
  const first = pp.locator('tbody tr').first();
  await first.waitFor();
  assert(!(await pp.getByLabel('Search titles').isVisible()), 'the filters are folded');
  const fb = await first.boundingBox();
  assert(fb.y + Math.min(fb.height, 80) <= 844, `the first row shows without scrolling (at ${fb.y})`);
  await pp.getByRole('button', { name: 'Filters' }).click();
  await pp.getByLabel('Search titles').waitFor();
  await noHorizontalScroll(pp, 'the posts list with its filters open');
  await shot(pp, 'phone-list');
  await phone.close();
});

test('dark mode: from the system setting, or chosen; kept on this device', async () => {
  const ctx = await newContext({ colorScheme: 'dark' });
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${writtenId}`);
  await bodyBox(page).waitFor();
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assertEq(await bg(), 'rgb(17, 20, 24)', 'dark from the system setting');
  await shot(page, 'post-editor-dark');
  await page.getByLabel('Theme').selectOption('light');
  assertEq(await bg(), 'rgb(246, 247, 249)', 'light when chosen');
  await page.reload();
  await bodyBox(page).waitFor();
  assertEq(await bg(), 'rgb(246, 247, 249)', 'the choice is kept');
  await page.getByLabel('Theme').selectOption('system');
  assertEq(await bg(), 'rgb(17, 20, 24)', 'back to the system’s');
  await ctx.close();
});

test('pre-compressed assets: what the browser receives is the brotli file of the build', async () => {
  const { readFileSync } = await import('node:fs');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(folio.url + '/admin/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const got = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((e) => /\/admin\/assets\/.*\.(js|css)$/.test(e.name)).map((e) => ({ url: new URL(e.name).pathname, enc: e.encodedBodySize, dec: e.decodedBodySize })),
  );
  assert(got.length >= 2, `first-load assets seen: ${JSON.stringify(got)}`);
  let sent = 0;
  for (const g of got) {
    const file = join(repo, 'admin-ui/dist', g.url.replace('/admin/', ''));
    assertEq(g.enc, readFileSync(file + '.br').length, `${g.url}: bytes received`);
    assertEq(g.dec, readFileSync(file).length, `${g.url}: bytes after decoding`);
    sent += g.enc;
  }
  const r = await fetch(folio.url + got[0].url, { headers: { 'Accept-Encoding': 'br, gzip' } });
  assertEq(r.headers.get('content-encoding'), 'br', 'Content-Encoding');
  assert((r.headers.get('vary') ?? '').includes('Accept-Encoding'), 'Vary');
  console.log(`     first load: ${(sent / 1024).toFixed(1)} KB of scripts and styles received`);
  await ctx.close();
});

// ---- the media library ----

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const mediaTile = (page, name) => page.getByTestId('media-item').filter({ hasText: name });

async function getMedia(id) {
  return folio.api('GET', `/api/v1/admin/media/${id}`, { as: ADMIN });
}

test('media library: drag-and-drop upload with real progress, the grid, alt text edited', async () => {
  await folio.upload('harbour-at-dusk.png', png(960, 600, { seed: 2 }), 'image/png', { alt: 'A harbour at dusk, boats in a row' });
  await folio.upload('price-list.pdf', PDF, 'application/pdf');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, '/admin/media');
  await page.getByRole('heading', { name: 'Media' }).waitFor();
  await page.getByText(/up to 10 MiB each/).waitFor(); // the limit from GET /admin/config
  await mediaTile(page, 'harbour-at-dusk.png').waitFor();

  // About 1 MB/s up: the 3 MB file takes seconds, and the bar shows it.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 10, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  const big = png(1200, 900, { noise: true, seed: 7 });
  await page.getByTestId('drop-zone').evaluate((zone, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'static-noise.png', { type: 'image/png' }));
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, big.toString('base64'));
  const seen = await page.waitForFunction(
    () => {
      const p = document.querySelector('progress[aria-label="Uploading static-noise.png"]');
      return p && p.value > 0 && p.value < 100 ? p.value : null;
    },
    null,
    { polling: 50, timeout: TIMEOUT },
  );
  const mid = await seen.jsonValue();
  assert(mid > 0 && mid < 100, `progress in between: ${mid}`);
  await page.getByTestId('upload').filter({ hasText: 'static-noise.png' }).getByText('Uploaded', { exact: true }).waitFor({ timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // In the grid, with its smallest copy as the thumbnail and no alt text yet.
  const tile = mediaTile(page, 'static-noise.png');
  await tile.waitFor();
  assert(/-480\.png$/.test(await tile.locator('img').getAttribute('src')), 'the thumbnail is the 480 px copy');
  await tile.getByText('No alt text').waitFor();
  await mediaTile(page, 'price-list.pdf').getByText('PDF document').waitFor();

  // Alt text and caption.
  await page.getByRole('button', { name: 'Edit static-noise.png' }).click();
  const dlg = page.getByRole('dialog', { name: 'static-noise.png' });
  await dlg.getByText('Nowhere yet.').waitFor();
  await dlg.getByLabel('Alt text', { exact: true }).fill('Coloured static, like an old television');
  await dlg.getByLabel('Caption').fill('Test pattern');
  await dlg.getByRole('button', { name: 'Save' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await tile.getByText('Coloured static, like an old television').waitFor();
  const r = await folio.api('GET', '/api/v1/admin/media?q=static-noise', { as: ADMIN });
  assertEq([r.json.data[0].alt, r.json.data[0].caption], ['Coloured static, like an old television', 'Test pattern'], 'saved through PATCH');

  // Refused uploads say why: a file folio does not take (415: an SVG with a script), a file over the limit (before sending it).
  await page.getByLabel('Upload files to the library').setInputFiles([
    { name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
    { name: 'too-big.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024) },
  ]);
  await page.getByRole('alert').filter({ hasText: '“drawing.svg” cannot be uploaded' }).waitFor();
  await page.getByRole('alert').filter({ hasText: '“too-big.png” is too large (11 MiB): the limit is 10 MiB.' }).waitFor();
  assertEq(await mediaTile(page, 'drawing.svg').count(), 0, 'nothing added');

  // Search and the kind filter, in the URL.
  await page.getByLabel('Kind').selectOption('document');
  await until(() => page.url().includes('type=document'), 'the kind filter in the URL');
  await mediaTile(page, 'price-list.pdf').waitFor();
  await until(async () => (await mediaTile(page, 'static-noise.png').count()) === 0, 'only documents');
  await page.goto(folio.url + '/admin/media?q=harbour');
  await mediaTile(page, 'harbour-at-dusk.png').waitFor();
  await until(async () => (await page.getByTestId('media-item').count()) === 1, 'the search to narrow the grid');
  await page.goto(folio.url + '/admin/media');
  await mediaTile(page, 'static-noise.png').waitFor();
  await page.getByTestId('upload').count(); // (the upload list starts empty on a new visit)
  await shot(page, 'media-library');
  await ctx.close();
});

test('media library: delete refused while a post uses it (the post is listed), forced by an admin; roles', async () => {
  const item = await folio.upload('in-use.png', png(800, 500, { seed: 5 }), 'image/png', { alt: 'Warm gradient' });
  const post = await createPost({ title: 'Post with a library cover', body: 'Text.', cover_image: { media_id: item.id } });

  // An author: upload yes, delete no, edit only their own.
  let ctx = await newContext();
  let page = await ctx.newPage();
  await signIn(page, author, '/admin/media?q=in-use');
  await mediaTile(page, 'in-use.png').waitFor();
  assertEq(await page.getByRole('button', { name: 'Delete in-use.png' }).count(), 0, 'no Delete for authors');
  await page.getByRole('button', { name: 'Details of in-use.png' }).waitFor(); // read only: not theirs
  await page.getByLabel('Upload files to the library').setInputFiles({ name: 'authors-own.png', mimeType: 'image/png', buffer: png(500, 300, { seed: 11 }) });
  await page.getByTestId('upload').getByText('Uploaded', { exact: true }).waitFor();
  await page.goto(folio.url + '/admin/media?q=authors-own');
  await page.getByRole('button', { name: 'Edit authors-own.png' }).click();
  await page.getByLabel('Alt text', { exact: true }).fill('My own picture');
  await page.getByRole('button', { name: 'Save' }).click();
  await mediaTile(page, 'authors-own.png').getByText('My own picture').waitFor();
  await ctx.close();

  // An editor may delete, but not what is in use: the dialog says where it is used.
  ctx = await newContext();
  page = await ctx.newPage();
  await signIn(page, editor, '/admin/media?q=in-use');
  await page.getByRole('button', { name: 'Delete in-use.png' }).click();
  await page.getByRole('dialog', { name: 'Delete this file?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  let used = page.getByRole('dialog', { name: 'This file is in use' });
  await used.getByRole('link', { name: 'Post with a library cover' }).waitFor();
  await used.getByText('cover image').waitFor();
  assertEq(await used.getByRole('button', { name: 'Delete anyway' }).count(), 0, 'no Delete anyway for editors');
  await used.getByText(/Only an admin can delete a file that is in use/).waitFor();
  await ctx.close();

  // An admin sees the same, follows nothing, and deletes it anyway.
  ctx = await newContext();
  page = await ctx.newPage();
  await signIn(page, ADMIN, '/admin/media?q=in-use');
  await page.getByRole('button', { name: 'Delete in-use.png' }).click();
  await page.getByRole('dialog', { name: 'Delete this file?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  used = page.getByRole('dialog', { name: 'This file is in use' });
  const link = used.getByRole('link', { name: 'Post with a library cover' });
  assertEq(await link.getAttribute('href'), `/admin/posts/${post.id}`, 'the link to the post');
  await used.getByText(/taken out of those cover images/).waitFor();
  await dismissToasts(page);
  await shot(page, 'media-in-use');
  await used.getByRole('button', { name: 'Delete anyway' }).click();
  await page.getByText('Deleted “in-use.png” and took it out of the entries that used it.').waitFor();
  await until(async () => (await mediaTile(page, 'in-use.png').count()) === 0, 'the tile to go');
  assertEq((await getMedia(item.id)).status, 404, 'the item is gone');
  assertEq((await getPost(post.id)).cover_image, null, 'and out of the post’s cover');
  await ctx.close();
});

test('post editor: a cover image from the library (media_id saved), an image inserted with the toolbar picker', async () => {
  const item = await folio.upload('cover-bands.png', png(1000, 600, { seed: 9 }), 'image/png', { alt: 'Blue and orange bands' });
  const post = await createPost({ title: 'Cover from the library', body: 'Start.' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN, `/admin/posts/${post.id}`);
  await bodyBox(page).waitFor();

  await openSettings(page);
  await page.getByRole('button', { name: 'Choose from the library' }).first().click();
  const dlg = page.getByRole('dialog', { name: 'Choose the cover image' });
  await dlg.getByLabel('Search the library').fill('cover-bands');
  await dlg.getByRole('button', { name: 'Search' }).click();
  await dlg.locator('label.pick', { hasText: 'cover-bands.png' }).click();
  assertEq(await dlg.getByLabel('Alt text', { exact: true }).inputValue(), 'Blue and orange bands', 'the item’s alt text is offered');
  await dlg.getByRole('button', { name: 'Use this image' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await page.getByTestId('cover_image-source').getByText(`item ${item.id}`).waitFor();
  await waitSaved(page);
  let p = await getPost(post.id);
  assertEq(p.cover_image?.media_id, item.id, 'cover_image.media_id saved');
  assertEq(p.cover_image?.alt, 'Blue and orange bands', 'with the alt text');

  // The toolbar's Image button: the library, alt text required.
  await closeSettings(page);
  await typeInEditor(page, '\n\n');
  await page.getByRole('button', { name: 'Image', exact: true }).click();
  const ins = page.getByRole('dialog', { name: 'Insert an image' });
  await ins.locator('label.pick', { hasText: 'cover-bands.png' }).click();
  await ins.getByLabel('Alt text', { exact: true }).fill('');
  await ins.getByRole('button', { name: 'Insert image' }).click();
  await ins.getByText(/^Write an alt text/).waitFor();
  assertEq(await ins.getByLabel('Alt text', { exact: true }).getAttribute('aria-invalid'), 'true', 'the alt field is marked');
  await ins.getByLabel('Alt text', { exact: true }).fill('Bands of blue and orange');
  await ins.getByRole('button', { name: 'Insert image' }).click();
  await ins.waitFor({ state: 'hidden' });
  const md = `![Bands of blue and orange](${item.url})`;
  await until(async () => (await editorText(page)).includes(md), 'the image in the text');
  await page.getByTestId('preview').first().locator('img[alt="Bands of blue and orange"]').waitFor();
  await waitSaved(page);
  p = await getPost(post.id);
  assert(p.body.includes(md), `body: ${p.body}`);
  const uses = (await getMedia(item.id)).json.data.used_by.map((u) => u.field).sort();
  assertEq(uses, ['body', 'cover_image'], 'the library knows where the image is used');

  // Upload from inside the picker: it is chosen at once.
  await page.getByRole('button', { name: 'Image', exact: true }).click();
  await ins.getByLabel('Upload an image').setInputFiles({ name: 'fresh-upload.png', mimeType: 'image/png', buffer: png(300, 200, { seed: 13 }) });
  await ins.getByText('Chosen: fresh-upload.png').waitFor();
  await ins.getByLabel('Alt text', { exact: true }).fill('Freshly uploaded');
  await ins.getByRole('button', { name: 'Insert image' }).click();
  await until(async () => (await editorText(page)).includes('![Freshly uploaded]('), 'the uploaded image in the text');
  await ctx.close();
});

// ---- site settings ----

test('site settings: an admin sets the title, a logo, reorders the navigation and saves; the public API and the feed show them; editors see no such screen', async () => {
  const logo = await folio.upload('site-logo.png', png(600, 200, { seed: 21 }), 'image/png', { alt: 'Northwind' });
  // The samples' site.yml gave the site a menu and social links: start from none.
  assertEq((await folio.api('PATCH', '/api/v1/admin/settings', { as: ADMIN, body: { navigation: [], social: [] } })).status, 200, 'clear the links');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Site settings' }).click();
  await page.getByRole('heading', { name: 'Site settings', level: 1 }).waitFor();
  const save = page.getByRole('button', { name: 'Save settings' });
  assert(await save.isDisabled(), 'nothing to save before a change');

  await page.getByLabel('Title').fill('  Northwind   Notes ');
  await page.getByLabel('Description').fill('Notes on building software.');
  await page.getByLabel('Language').fill('en-gb');

  // The logo from the library.
  await page.locator('fieldset[data-field="logo"]').getByRole('button', { name: 'Choose from the library' }).click();
  const dlg = page.getByRole('dialog', { name: 'Choose the logo' });
  await dlg.getByLabel('Search the library').fill('site-logo');
  await dlg.getByRole('button', { name: 'Search' }).click();
  await dlg.locator('label.pick', { hasText: 'site-logo.png' }).click();
  await dlg.getByRole('button', { name: 'Use this image' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await page.getByTestId('logo-thumb').waitFor();

  // Three links; the last moved to the top.
  const nav = page.getByRole('region', { name: 'Navigation' });
  for (const [label, url] of [['Blog', '/blog'], ['About', '/about'], ['Docs', 'https://docs.northwind.example/']]) {
    await nav.getByRole('button', { name: 'Add a link' }).click();
    const n = await nav.locator('li.link').count();
    await nav.getByLabel(`Label ${n}`).fill(label);
    await nav.getByLabel(`Address ${n}`).fill(url);
  }
  await nav.getByRole('button', { name: 'Move Docs up' }).click();
  await nav.getByRole('button', { name: 'Move Docs up' }).click();
  assertEq(await nav.getByLabel('Label 1').inputValue(), 'Docs', 'Docs is first after two moves up');
  assert(await nav.getByRole('button', { name: 'Move Docs up' }).isDisabled(), 'the first link cannot move up');

  // A bad social link is named next to its field, before any request.
  const social = page.getByRole('region', { name: 'Social links' });
  await social.getByRole('button', { name: 'Add a social link' }).click();
  await social.getByLabel('Network 1').fill('GitHub');
  await social.getByLabel('Address 1').fill('github.com/northwind');
  await save.click();
  await social.getByText('must be an absolute http:// or https:// URL').waitFor();
  assertEq(await social.getByLabel('Address 1').getAttribute('aria-invalid'), 'true', 'the address is marked');
  await social.getByLabel('Address 1').fill('https://github.com/northwind');
  await save.click();
  await page.getByText('Site settings saved').waitFor();
  await until(async () => await save.isDisabled(), 'the form to be saved');

  const r = await folio.api('GET', '/api/v1/settings');
  assertEq(r.status, 200, 'public settings');
  const s = r.json.data;
  assertEq(s.title, 'Northwind Notes', 'title, on one line');
  assertEq(s.description, 'Notes on building software.', 'description');
  assertEq(s.language, 'en-GB', 'language, canonical');
  assertEq(s.logo?.media_id, logo.id, 'the logo is the library item');
  assertEq(s.navigation.map((l) => l.label), ['Docs', 'Blog', 'About'], 'the navigation in the order set');
  assertEq(s.social, [{ network: 'github', url: 'https://github.com/northwind' }], 'social links, lower case');
  const feed = await folio.api('GET', '/api/v1/feed.json');
  assertEq(feed.json.title, 'Northwind Notes', 'the feed takes the site title');

  // A reload shows what was saved; removing a link and the logo saves too.
  await page.reload();
  await page.getByRole('heading', { name: 'Site settings', level: 1 }).waitFor();
  assertEq(await page.getByLabel('Title').inputValue(), 'Northwind Notes', 'the title after a reload');
  await nav.getByRole('button', { name: 'Remove Blog' }).click();
  await page.getByRole('button', { name: 'Remove the logo' }).click();
  await save.click();
  await page.getByText('Site settings saved').waitFor();
  const after = (await folio.api('GET', '/api/v1/settings')).json.data;
  assertEq(after.navigation.map((l) => l.label), ['Docs', 'About'], 'Blog removed');
  assertEq(after.logo, null, 'the logo removed');
  await noHorizontalScroll(page, 'site settings');
  await shot(page, 'site-settings');
  await ctx.close();

  // An editor has no Site settings link, and the API refuses them.
  const ectx = await newContext();
  const epage = await ectx.newPage();
  await signIn(epage, editor);
  assertEq(await epage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Site settings' }).count(), 0, 'no link for an editor');
  await ectx.close();
  const refused = await folio.api('PATCH', '/api/v1/admin/settings', { as: editor, body: { title: 'Mine' } });
  assertEq(refused.status, 403, 'an editor cannot change the site settings');
});

test('public profile: an editor writes a bio and a website on their account; an admin removes the website from the Users screen; the authors API shows it once they publish', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, editor, '/admin/account');
  const prof = page.getByRole('region', { name: 'Public profile' });
  await prof.getByLabel('Bio').fill('  Writes about databases and the people who run them. ');
  await prof.getByLabel('Website').fill('bea.example');
  await prof.getByRole('button', { name: 'Save profile' }).click();
  await prof.getByText('must be an absolute http:// or https:// URL').waitFor();
  await prof.getByLabel('Website').fill('https://bea.example/');
  await prof.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  const me = await folio.api('GET', '/api/v1/auth/me', { as: editor });
  assertEq(me.json.data.bio, 'Writes about databases and the people who run them.', 'bio saved, trimmed');
  assertEq(me.json.data.website, 'https://bea.example/', 'website saved');
  await ctx.close();

  const actx = await newContext();
  const admin = await actx.newPage();
  await signIn(admin, ADMIN, '/admin/users');
  await admin.getByRole('button', { name: `Public profile of ${editor.email}` }).click();
  const dlg = admin.getByRole('dialog', { name: 'Public profile' });
  assertEq(await dlg.getByLabel('Bio').inputValue(), 'Writes about databases and the people who run them.', 'the admin sees the bio');
  await dlg.getByLabel('Website').fill('');
  await dlg.getByRole('button', { name: 'Save profile' }).click();
  await admin.getByText(`Saved the profile of ${editor.email}.`).waitFor();
  await actx.close();

  const post = await createPost({ title: 'By Bea, with a profile' }, editor);
  assertEq((await folio.api('POST', `/api/v1/admin/posts/${post.id}/publish`, { as: editor, body: {} })).status, 200, 'publish');
  const authors = (await folio.api('GET', '/api/v1/authors')).json.data;
  const bea = authors.find((a) => a.name === 'Bea Editor');
  assert(bea, `Bea among the authors: ${JSON.stringify(authors)}`);
  assertEq(bea.bio, 'Writes about databases and the people who run them.', 'the public bio');
  assertEq(bea.website, null, 'the website removed by the admin');
  assert(!JSON.stringify(authors).includes('@'), 'no email in the authors list');
});

// ---- webhooks ----

test('webhooks: create (secret once), test event delivered, deliveries, publish → post.published, redeliver, rotate, 410', async () => {
  const rx = await startReceiver((path) => (path === '/gone' ? 410 : 200));
  const ctx = await newContext();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: folio.url });
  const page = await ctx.newPage();
  try {
    await signIn(page, ADMIN, '/admin/webhooks');
    await page.getByText('No webhooks yet.').waitFor();
    await page.getByRole('heading', { name: 'Checking that a delivery comes from Folio' }).waitFor();

    // Create: the form checks first, then the secret is shown once.
    await page.getByRole('button', { name: 'New webhook' }).click();
    const form = page.getByRole('dialog', { name: 'New webhook' });
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await form.getByText('Pick at least one event, or All events.').waitFor();
    await form.getByLabel('Name').fill('Static site');
    await form.getByLabel('URL', { exact: true }).fill('ftp://example.com/hook');
    await form.getByLabel('Post published').check();
    await form.getByLabel('Post updated').check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await form.getByText('must use http or https').waitFor();
    assertEq(await form.getByLabel('URL', { exact: true }).getAttribute('aria-invalid'), 'true', 'the URL field is marked');
    await form.getByLabel('URL', { exact: true }).fill(rx.url + '/hooks');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const sdlg = page.getByRole('dialog', { name: 'The webhook’s signing secret' });
    const secret = await sdlg.getByLabel(/Secret for/).inputValue();
    assert(secret.startsWith('whsec_'), `secret ${secret}`);
    await sdlg.getByRole('button', { name: 'Copy' }).click();
    await sdlg.getByRole('button', { name: 'Copied' }).waitFor();
    assertEq(await page.evaluate(() => navigator.clipboard.readText()), secret, 'clipboard');
    await sdlg.getByRole('button', { name: 'I have stored it' }).click();
    assertEq(await page.getByText(secret).count(), 0, 'the secret is not shown again');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Static site' }) });
    await card.getByText('Post published, Post updated').waitFor();
    const list = await folio.api('GET', '/api/v1/admin/webhooks', { as: ADMIN });
    hookId = list.json.data[0].id;
    assertEq(list.json.data[0].events, ['post.published', 'post.updated'], 'events saved');

    // A test event: delivered, signed with that secret.
    await card.getByRole('button', { name: 'Send test event to Static site' }).click();
    await card.getByRole('status').getByText(/^Test event: Delivered: 200 in \d+ ms\.$/).waitFor();
    const ping = rx.got.find((g) => g.json?.event === 'ping');
    assert(ping, 'the receiver got the ping');
    assertEq(ping.headers['x-folio-event'], 'ping', 'X-Folio-Event');
    assert(verifySignature(secret, ping.headers['x-folio-signature'], ping.raw), 'the signature verifies with the secret shown once');

    // The deliveries view: attempts and the payload.
    await card.getByRole('link', { name: 'Deliveries of Static site' }).click();
    await page.getByRole('heading', { name: 'Deliveries: Static site' }).waitFor();
    const pingRow = page.getByTestId('delivery').filter({ hasText: 'Test event (ping)' });
    await pingRow.getByText('Delivered: 200').waitFor();
    await pingRow.locator('summary').click();
    await pingRow.getByRole('cell', { name: '200', exact: true }).waitFor();
    await pingRow.getByText('thanks from the e2e receiver').waitFor(); // the answer's start
    await pingRow.locator('pre.payload', { hasText: '"event": "ping"' }).waitFor();

    // Publishing a post is delivered as post.published.
    const post = await createPost({ title: 'Webhook news', body: 'Hello, receivers.' });
    assertEq((await folio.api('POST', `/api/v1/admin/posts/${post.id}/publish`, { as: ADMIN })).status, 200, 'publish');
    const pub = page.getByTestId('delivery').filter({ hasText: 'post.published' });
    await until(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await pub.getByText('Delivered: 200').count()) > 0;
    }, 'post.published delivered');
    const got = rx.got.find((g) => g.json?.event === 'post.published');
    assertEq(got?.json.data.slug, 'webhook-news', 'the receiver got the post');
    await dismissToasts(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'webhook-deliveries');

    // Send it again: the same event id, a new delivery.
    await pub.first().locator('summary').click();
    await pub.first().getByRole('button', { name: /^Redeliver/ }).click();
    await page.getByTestId('delivery-result').getByText(/^Redelivery of \d+ \(delivery \d+\): Delivered: 200/).waitFor();
    const sent = rx.got.filter((g) => g.json?.event === 'post.published');
    assertEq(sent.length, 2, 'delivered twice');
    assertEq(sent[1].headers['x-folio-delivery'], sent[0].headers['x-folio-delivery'], 'with the same delivery id');
    await page.getByLabel('Show').selectOption('failed');
    await page.getByText('No failed deliveries.').waitFor();

    // Edit: rotate the secret (shown once again), then pause it.
    await page.getByRole('link', { name: '← Webhooks' }).click();
    await card.getByRole('button', { name: 'Edit Static site' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit webhook' });
    await edit.getByRole('button', { name: 'Rotate secret' }).click();
    await edit.getByRole('button', { name: 'Rotate now' }).click();
    const rotated = await sdlg.getByLabel(/Secret for/).inputValue();
    assert(rotated.startsWith('whsec_') && rotated !== secret, 'a new secret');
    await sdlg.getByRole('button', { name: 'I have stored it' }).click();

    // A receiver that answers 410 Gone: Folio turns the webhook off, and says why.
    await page.getByRole('button', { name: 'New webhook' }).click();
    await form.getByLabel('Name').fill('Old endpoint');
    await form.getByLabel('URL', { exact: true }).fill(rx.url + '/gone');
    await form.getByLabel(/All events/).check();
    assert(await form.getByLabel('Post published').isDisabled(), 'single events are covered by All events');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await sdlg.getByRole('button', { name: 'I have stored it' }).click();
    const old = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Old endpoint' }) });
    await old.getByText('All events', { exact: true }).waitFor();
    await old.getByRole('button', { name: 'Send test event to Old endpoint' }).click();
    await old.getByText('Folio turned this webhook off:').waitFor();
    await old.getByText('Deactivated', { exact: true }).waitFor();
    await old.getByRole('button', { name: 'Reactivate' }).waitFor();
    await dismissToasts(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'webhooks');

    // Paused: nothing is sent, and no test event is offered.
    await card.getByRole('button', { name: 'Edit Static site' }).click();
    await edit.getByLabel(/Active: send events/).uncheck();
    await edit.getByRole('button', { name: 'Save', exact: true }).click();
    await card.getByText('Paused', { exact: true }).waitFor();
    assertEq(await card.getByRole('button', { name: /Send test event/ }).count(), 0, 'no test event while paused');

    // Delete, after asking.
    await old.getByRole('button', { name: 'Delete Old endpoint' }).click();
    await page.getByRole('dialog', { name: 'Delete this webhook?' }).getByRole('button', { name: 'Delete webhook' }).click();
    await until(async () => (await page.getByRole('heading', { name: 'Old endpoint' }).count()) === 0, 'the webhook to go');
    await ctx.close(); // (on failure, the runner takes a screenshot first)
  } finally {
    await rx.close();
  }
});

test('webhooks: a URL into a private network is refused, next to the URL field', async () => {
  // The suite's folio allows private addresses (the receiver is on 127.0.0.1): this one does not.
  const strict = await startFolio({ seed: false });
  const ctx = await newContext();
  const page = await ctx.newPage();
  try {
    await signIn(page, ADMIN, '/admin/webhooks', strict.url);
    await page.getByRole('button', { name: 'New webhook' }).click();
    const form = page.getByRole('dialog', { name: 'New webhook' });
    await form.getByLabel('Name').fill('Metadata');
    await form.getByLabel('URL', { exact: true }).fill('http://169.254.169.254/latest/meta-data/');
    await form.getByLabel(/All events/).check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const err = form.locator('.field-error', { hasText: 'must not point into a private network' });
    await err.waitFor();
    const urlField = form.getByLabel('URL', { exact: true });
    assertEq(await urlField.getAttribute('aria-invalid'), 'true', 'the URL field is marked');
    assert((await urlField.getAttribute('aria-describedby')).includes(await err.getAttribute('id')), 'the message describes the field');
    assertEq((await strict.api('GET', '/api/v1/admin/webhooks', { as: ADMIN })).json.data.length, 0, 'nothing created');
    await ctx.close();
  } finally {
    await strict.stop();
  }
});

test('phone layout (390 px): menu, list and editor without sideways scrolling', async () => {
  const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await signIn(page, ADMIN);
  await noHorizontalScroll(page, 'dashboard');
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert(!(await nav.isVisible()), 'the navigation is folded behind the menu button');
  await page.getByRole('button', { name: 'Menu' }).click();
  await nav.getByRole('link', { name: 'Posts', exact: true }).click();
  await page.getByRole('heading', { name: 'Posts' }).waitFor();
  await noHorizontalScroll(page, 'posts list');
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Search titles').fill('Field notes');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: 'Field notes from the e2e suite' }).click();
  await bodyBox(page).waitFor();
  await noHorizontalScroll(page, 'post editor');
  await page.getByRole('button', { name: 'Preview' }).first().click();
  await page.getByTestId('preview').first().locator('h2', { hasText: 'Getting started' }).waitFor();
  await page.getByRole('button', { name: 'Write' }).first().click();
  await shot(page, 'phone-editor');
  await openSettings(page);
  await noHorizontalScroll(page, 'post settings');
  await page.getByRole('button', { name: 'Choose from the library' }).first().click();
  await page.getByRole('dialog', { name: 'Choose the cover image' }).locator('label.pick').first().waitFor();
  await noHorizontalScroll(page, 'media picker');
  await page.keyboard.press('Escape');
  await page.goto(folio.url + '/admin/media');
  await page.getByTestId('media-item').first().waitFor();
  await noHorizontalScroll(page, 'media library');
  await page.getByTestId('media-item').first().getByRole('button', { name: /^Edit / }).click();
  await page.getByLabel('Alt text', { exact: true }).waitFor();
  await noHorizontalScroll(page, 'media details');
  await page.keyboard.press('Escape');
  if (hookId) {
    await page.goto(folio.url + '/admin/webhooks');
    await page.getByRole('heading', { name: 'Static site' }).waitFor();
    await noHorizontalScroll(page, 'webhooks');
    await page.goto(folio.url + `/admin/webhooks/${hookId}`);
    await page.getByTestId('delivery').first().locator('summary').click();
    await page.locator('pre.payload').first().waitFor();
    await noHorizontalScroll(page, 'webhook deliveries');
  }
  await ctx.close();
});

test('keyboard: every control reachable, focus visible, every input labelled', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(folio.url + '/admin/');
  await page.getByLabel('Email').waitFor();
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return { name: el.textContent?.trim() || el.labels?.[0]?.textContent || el.id, outline: s.outlineStyle, width: s.outlineWidth };
      }),
    );
  }
  assertEq(
    order.map((o) => o.name),
    ['Skip to content', 'Email', 'Password', 'Sign in'],
    'tab order on the sign-in screen',
  );
  for (const o of order) assert(o.outline !== 'none' && o.width !== '0px', `no visible focus on ${o.name}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  // Reach "Posts" by keyboard and open it.
  let found = false;
  for (let i = 0; i < 15 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.textContent === 'Posts');
  }
  assert(found, 'the Posts link is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Posts' }).waitFor();
  for (const path of ['/admin/posts/' + writtenId, '/admin/case-studies/new', '/admin/posts', '/admin/users', '/admin/tokens', '/admin/audit', '/admin/media', '/admin/webhooks', '/admin/webhooks/' + hookId, '/admin/site']) {
    await page.goto(folio.url + path);
    await page.locator('main h1').waitFor();
    await sleep(300);
    const unlabelled = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('input, select, textarea, [contenteditable="true"], button, a[href]')) {
        if (!(el instanceof HTMLElement) || el.offsetParent === null || el.type === 'hidden') continue;
        const named =
          el.getAttribute('aria-label') ||
          el.getAttribute('aria-labelledby')?.split(' ').some((id) => document.getElementById(id)?.textContent?.trim()) ||
          (el.labels && el.labels.length > 0) ||
          (['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim());
        if (!named) out.push(el.outerHTML.slice(0, 120));
      }
      return out;
    });
    assertEq(unlabelled, [], `unlabelled controls on ${path}`);
  }
  await ctx.close();
});

test('colour contrast meets WCAG AA on the main screens, in light and dark', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(folio.url + '/admin/');
  const screens = [['sign-in', null]];
  const check = () =>
    page.evaluate(() => {
      const parse = (c) => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return { r, g, b, a };
      };
      const lum = ({ r, g, b }) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const blend = (top, bottom) => ({
        r: top.r * top.a + bottom.r * (1 - top.a),
        g: top.g * top.a + bottom.g * (1 - top.a),
        b: top.b * top.a + bottom.b * (1 - top.a),
        a: 1,
      });
      const background = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0) layers.push(c);
          if (c && c.a === 1) break;
        }
        let bg = { r: 255, g: 255, b: 255, a: 1 };
        for (const l of layers.reverse()) bg = blend(l, bg);
        return bg;
      };
      const bad = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = new Set();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || seen.has(el) || !n.textContent.trim()) continue;
        seen.add(el);
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || el.closest('[aria-hidden="true"], .visually-hidden, dialog:not([open])')) continue;
        if (el.closest('button:disabled')) continue; // WCAG exempts inactive controls
        const fg = parse(s.color);
        const bg = background(el);
        const L1 = lum(blend(fg, bg));
        const L2 = lum(bg);
        const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
        const size = parseFloat(s.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) bad.push(`${ratio.toFixed(2)} "${n.textContent.trim().slice(0, 40)}" (${s.color} on rgb(${bg.r},${bg.g},${bg.b}))`);
      }
      return bad;
    });
  // Both themes: the system's light and dark settings.
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === 'light') {
      assertEq(await check(), [], 'low contrast on sign-in (light)');
      await signIn(page, ADMIN);
    } else {
      await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST' }));
      await page.goto(folio.url + '/admin/');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assertEq(await check(), [], 'low contrast on sign-in (dark)');
      await signIn(page, ADMIN);
    }
    for (const path of ['/admin/', '/admin/posts', '/admin/posts/' + writtenId, '/admin/case-studies', '/admin/users', '/admin/audit', '/admin/media', '/admin/webhooks', '/admin/webhooks/' + hookId, '/admin/trash']) {
      await page.goto(folio.url + path);
      await page.locator('main h1').waitFor();
      await sleep(800);
      screens.push([path, colorScheme]);
      assertEq(await check(), [], `low contrast on ${path} (${colorScheme})`);
    }
    // The editor's settings panel, the revisions and the shortcuts too.
    await page.goto(folio.url + '/admin/posts/' + writtenId);
    await page.locator('.cm-editor').waitFor();
    await openSettings(page);
    await sleep(300);
    assertEq(await check(), [], `low contrast in the settings panel (${colorScheme})`);
    await closeSettings(page);
    await page.getByRole('button', { name: 'Revisions', exact: true }).click();
    await page.getByRole('dialog', { name: 'Revisions' }).getByRole('button', { name: /^View version/ }).first().click();
    await page.getByRole('button', { name: 'Back to the list' }).waitFor();
    assertEq(await check(), [], `low contrast in a revision (${colorScheme})`);
  }
  await ctx.close();
});

test('no CSP violations and no uncaught errors on any page', async () => {
  assertEq(problems, [], 'problems seen in the browser');
});

// ---- run ----

async function main() {
  const started = Date.now();
  // Webhooks may go to 127.0.0.1 (the test's receiver); the SSRF test starts a folio of its own without this.
  folio = await startFolio({ env: { FOLIO_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  let passed = 0;
  let failed = 0;
  try {
    editor = await folio.createUser('bea@example.com', 'editor', 'Bea Editor');
    author = await folio.createUser('ana@example.com', 'author', 'Ana Author');
    marketer = await folio.createUser('mo@example.com', 'marketer', 'Mo Marketer');
    browser = await launchBrowser();
    for (const t of tests) {
      if (only.length && !only.some((o) => t.name.includes(o))) continue;
      const t0 = Date.now();
      try {
        await t.fn();
        passed++;
        console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${t.name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n     ')}`);
        for (const ctx of browser.contexts()) {
          for (const p of ctx.pages()) {
            const file = join(process.env.TMPDIR ?? '/tmp', `folio-e2e-failure-${failed}-${ctx.pages().indexOf(p)}.png`);
            await p.screenshot({ path: file, fullPage: true }).catch(() => {});
            console.log(`     screenshot: ${file} (${p.url()})`);
          }
          await ctx.close().catch(() => {});
        }
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await folio.stop();
  }
  console.log(`\ne2e: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
