// Shared set-up for browser tests: a real kyoritsu server on a fresh SQLite database with
// the demo company, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = resolve(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

export const PASSWORD = 'kyoritsu-demo';
export const account = (role) => `${role}@demo.example.jp`;

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

export async function startServer() {
  const bin = process.env.KYORITSU_BIN || resolve(here, '..', '..', 'target', 'debug', 'kyoritsu');
  const dir = mkdtempSync(join(tmpdir(), 'kyoritsu-e2e-'));
  const port = await freePort();
  const child = spawn(bin, ['serve', '--demo', '--port', String(port), '--database-url', `sqlite://${join(dir, 'e2e.db')}`], {
    env: { ...process.env, KYORITSU_DEMO_EMPLOYEES: '300', KYORITSU_LOG: 'warn' },
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
  return { base, output: () => output, stop: () => child.kill('SIGTERM') };
}

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kyoritsu-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
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

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
