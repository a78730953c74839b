// Shared set-up for browser tests: a real kyoritsu server on a fresh SQLite database with
// the demo company, and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = resolve(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

export const PASSWORD = 'kyoritsu-demo';
export const account = (role) => `${role}@demo.example.jp`;
/// The date `days` from today (UTC), as a date input takes it.
export const dateIn = (days) => new Date(Date.now() + days * 864e5).toISOString().slice(0, 10);

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/// Starts `kyoritsu serve --demo`. Options: `dir` (reuse the database of an earlier
/// server, e.g. to restart it at another time), `env` (extra environment, e.g.
/// KYORITSU_NOW to move the clock, KYORITSU_SMTP_URL for the outbox).
export async function startServer(opts = {}) {
  const bin = process.env.KYORITSU_BIN || resolve(here, '..', '..', 'target', 'debug', 'kyoritsu');
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'kyoritsu-e2e-'));
  const port = await freePort();
  const child = spawn(bin, ['serve', '--demo', '--port', String(port), '--database-url', `sqlite://${join(dir, 'e2e.db')}`], {
    env: {
      ...process.env,
      KYORITSU_DEMO_EMPLOYEES: '300',
      KYORITSU_LOG: 'warn',
      // The dictionary the Rust tests build (target/tmp/ipadic), built here if they did not.
      KYORITSU_DICTIONARY_DIR: resolve(here, '..', '..', 'target', 'tmp', 'ipadic'),
      ...(opts.env || {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kyoritsu exited early:\n${output}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`kyoritsu did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const exited = new Promise((ok) => child.on('exit', ok));
  return {
    base,
    dir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/// Restarts `server` on the same database with the clock at `at` (a Date), for a step
/// that needs time to have passed — a dialogue is confirmed as held only once it has
/// begun. Sign in again afterwards; the address (port) changes.
export async function restartAt(server, at, env = {}) {
  await server.stop();
  return startServer({ dir: server.dir, env: { KYORITSU_NOW: at.toISOString(), ...env } });
}

/// When the dialogue open in `page` starts (the page shows Japan time), as a Date.
export async function dialogueStart(page) {
  const m = (await page.textContent('[data-testid=dialogue-when]')).match(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/);
  return new Date(`${m[1]}T${m[2]}:00+09:00`);
}

/// Confirms a dialogue as held: opens the confirmation that names the effect, then
/// confirms.
export async function closeHeld(page) {
  await page.click('[data-testid=close-held-open]');
  await click(page, '[data-testid=close-held]');
}

/// A real SMTP server (PyPI aiosmtpd via scripts/smtp_sink.py) recording what it receives.
export async function startSmtpSink() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kyoritsu-smtp-'));
  const file = join(dir, 'mail.jsonl');
  const child = spawn('python3', [resolve(here, '..', '..', 'scripts', 'smtp_sink.py'), String(port), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((ok, fail) => {
    child.stdout.once('data', (d) => (String(d).includes('ready') ? ok() : fail(new Error(String(d)))));
    child.once('exit', (code) => fail(new Error(`the SMTP sink exited (${code})`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    stop: () => child.kill('SIGTERM'),
  };
}

/// Waits until `check()` returns something truthy (polling), or fails after `ms`.
export async function eventually(check, ms = 20_000, what = 'condition') {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function launchBrowser({ javaScript = true } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kyoritsu-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    javaScriptEnabled: javaScript,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    locale: 'ja-JP',
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function signIn(page, base, role, password = PASSWORD) {
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', account(role));
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

/// Clicks a button or link and waits for what it does: a page load, or — for a section of
/// the dialogue page, which htmx swaps in place (`hx-post`) — the swap to settle.
export async function click(page, selector) {
  const el = typeof selector === 'string' ? page.locator(selector).first() : selector;
  if (!(await el.getAttribute('hx-post'))) {
    return Promise.all([page.waitForLoadState('load'), el.click()]);
  }
  const before = await page.evaluate(() => {
    if (!window.__kyoritsuSettled) {
      window.__kyoritsuSettled = 0;
      document.body.addEventListener('htmx:afterSettle', () => { window.__kyoritsuSettled += 1; });
    }
    return window.__kyoritsuSettled;
  });
  await el.click();
  await page.waitForFunction((n) => window.__kyoritsuSettled > n, before);
  // Let the out-of-band flash settle too.
  await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'));
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/// At phone width (390 px) the page is no wider than the screen; saves `${name}-phone`.
export async function fitsPhone(page, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a phone screen`);
  await shot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/// Runs the `kyoritsu` command line against a server's database; returns stdout (throws
/// with stderr when it fails).
export function cli(server, args, input = '') {
  const bin = process.env.KYORITSU_BIN || resolve(here, '..', '..', 'target', 'debug', 'kyoritsu');
  const r = spawnSync(bin, [...args, '--database-url', `sqlite://${join(server.dir, 'e2e.db')}`], {
    input,
    encoding: 'utf8',
    env: { ...process.env, KYORITSU_LOG: 'warn' },
  });
  if (r.status !== 0) throw new Error(`kyoritsu ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
