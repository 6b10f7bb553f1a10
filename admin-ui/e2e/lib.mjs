// Helpers for the end-to-end tests: a real folio on a free port with a
// temporary data dir, Debian's chromium through playwright-core, and a tiny
// sequential test runner.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { deflateSync } from 'node:zlib';
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

/**
 * startFolio runs bin/folio on a free port with a fresh data dir and the
 * sample content; env adds settings (FOLIO_WEBHOOK_ALLOW_PRIVATE, …).
 */
export async function startFolio({ seed = true, env = {} } = {}) {
  const bin = join(repo, 'bin/folio');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`go tool task build\` first`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'folio-e2e-'));
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir];
  if (seed) args.push('--seed-dir', join(repo, 'content'));
  const log = [];
  const proc = spawn(bin, args, {
    env: { ...process.env, FOLIO_ADMIN_EMAIL: ADMIN.email, FOLIO_ADMIN_PASSWORD: ADMIN.password, FOLIO_LOG_LEVEL: 'warn', ...env },
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
    /** upload puts a file into the media library through the API (multipart), as `as`. */
    async upload(name, bytes, type, { as = ADMIN, alt } = {}) {
      const form = new FormData();
      if (alt !== undefined) form.append('alt', alt);
      form.append('file', new Blob([bytes], { type }), name);
      const r = await fetch(url + '/api/v1/admin/media', { method: 'POST', headers: { Authorization: `Bearer ${await token(as)}` }, body: form });
      const json = await r.json();
      if (r.status !== 201 && r.status !== 200) throw new Error(`upload ${name}: ${r.status} ${JSON.stringify(json)}`);
      return json.data;
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

/**
 * png makes a real PNG (w × h, RGB) in memory. noise fills it with random
 * pixels, which do not compress: a big file, for watching upload progress.
 */
export function png(w, h, { noise = false, seed = 1 } = {}) {
  const row = 1 + w * 3;
  const raw = Buffer.alloc(row * h);
  let x = seed >>> 0 || 1;
  for (let y = 0; y < h; y++) {
    raw[y * row] = 0;
    for (let i = 1; i < row; i++) {
      if (noise) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        raw[y * row + i] = x & 255;
      } else {
        // A soft gradient: red across, green down, blue from the seed.
        const px = Math.floor((i - 1) / 3);
        const c = (i - 1) % 3;
        raw[y * row + i] = c === 0 ? Math.round((px * 255) / w) : c === 1 ? Math.round((y * 255) / h) : (seed * 67) & 255;
      }
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: noise ? 0 : 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * startReceiver is a webhook receiver on 127.0.0.1: it records every
 * delivery (headers and raw body) and answers 200 with a short text, or
 * the status `answer(path)` says (410 on /gone, say).
 */
export async function startReceiver(answer = () => 200) {
  const got = [];
  const server = createHttpServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      got.push({ path: req.url, headers: req.headers, raw, json: JSON.parse(raw.toString() || 'null') });
      res.writeHead(answer(req.url)).end('thanks from the e2e receiver');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    got,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** verifySignature checks X-Folio-Signature as a receiver would (README, "Webhooks"). */
export function verifySignature(secret, header, raw) {
  const sig = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=')));
  const expected = createHmac('sha256', secret).update(`${sig.t}.`).update(raw).digest('hex');
  return !!sig.v1 && sig.v1.length === expected.length && timingSafeEqual(Buffer.from(sig.v1), Buffer.from(expected));
}
