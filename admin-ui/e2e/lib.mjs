// Helpers for the end-to-end tests: a real folio on a free port with a
// temporary data dir, Debian's chromium through playwright-core, and a tiny
// sequential test runner.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple', name: 'Ada Admin' };

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** startFolio runs bin/folio on a free port with a fresh data dir and the sample content. */
export async function startFolio({ seed = true } = {}) {
  const bin = join(repo, 'bin/folio');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`go tool task build\` first`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'folio-e2e-'));
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir];
  if (seed) args.push('--seed-dir', join(repo, 'content'));
  const log = [];
  const proc = spawn(bin, args, {
    env: { ...process.env, FOLIO_ADMIN_EMAIL: ADMIN.email, FOLIO_ADMIN_PASSWORD: ADMIN.password, FOLIO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d) => log.push(String(d)));
  proc.stderr.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`folio exited (${proc.exitCode}):\n${log.join('')}`);
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`folio did not become healthy:\n${log.join('')}`);
    }
    await sleep(100);
  }
  const folio = {
    url,
    dataDir,
    log,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([new Promise((r) => proc.once('exit', r)), sleep(5000)]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    /** api calls the JSON API, signed in as `as` (email/password), or anonymously. */
    async api(method, path, { body, as, headers = {} } = {}) {
      const h = { Accept: 'application/json', ...headers };
      if (as) h.Authorization = `Bearer ${await token(as)}`;
      if (body !== undefined) h['Content-Type'] = 'application/json';
      const r = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {}
      return { status: r.status, headers: r.headers, json, text };
    },
    async createUser(email, role, name) {
      const password = 'quiet meadow lantern 42';
      const r = await folio.api('POST', '/api/v1/admin/users', { as: ADMIN, body: { email, role, name, password } });
      if (r.status !== 201) throw new Error(`create user: ${r.status} ${r.text}`);
      return { email, password, name, id: r.json.data.id };
    },
  };
  const tokens = new Map();
  async function token(who) {
    const t = tokens.get(who.email);
    if (t && t.until > Date.now()) return t.token;
    const r = await fetch(url + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: who.email, password: who.password }),
    });
    if (!r.ok) throw new Error(`login ${who.email}: ${r.status} ${await r.text()}`);
    const j = await r.json();
    tokens.set(who.email, { token: j.access_token, until: Date.now() + 600_000 });
    return j.access_token;
  }
  return folio;
}

export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (go tool task ui:deps)`);
  // launch() gives every browser a fresh temporary --user-data-dir of its own
  // (and refuses one in args); persistent profiles are never used.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

export function assertEq(got, want, msg) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${msg}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
