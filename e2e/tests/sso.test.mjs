// Single sign-on in Chromium: the admin sets the company's OpenID Connect provider (a
// real one, the npm package oidc-provider) on the settings page and checks the
// connection; an employee signs in with the company account; a token that fails its
// checks gets a clear page with the password form still there; with "SSO only" the
// password form folds away for the break-glass admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, shot, click, fitsPhone, account, PASSWORD } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let server;
let provider;
let issuer;
let context;

before(async () => {
  server = await startServer();
  provider = spawn('node', [resolve(here, '..', 'peers', 'oidc_provider.mjs'), JSON.stringify({
    clientId: 'kyoritsu-e2e', clientSecret: 'an-e2e-client-secret', redirectUri: `${server.base}/sso/callback`,
  })], { stdio: ['ignore', 'pipe', 'ignore'] });
  issuer = await new Promise((ok, fail) => {
    let out = '';
    provider.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok(JSON.parse(line).issuer);
    });
    provider.once('exit', (code) => fail(new Error(`oidc-provider exited (${code})`)));
  });
  context = await launchBrowser();
});

after(async () => {
  await context?.close();
  await server?.stop();
  provider?.kill('SIGTERM');
});

/// Who the provider signs in next, and how its ID token comes out.
async function next(email, mode = 'normal') {
  const r = await fetch(`${issuer}/_test/next?account=${encodeURIComponent(email)}&mode=${mode}`);
  assert.ok(r.ok);
}

async function passwordSignIn(page, role) {
  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  const form = page.locator('[data-testid=password-form]');
  if (!(await form.isVisible())) await page.click('[data-testid=break-glass] summary');
  await form.locator('input[name=email]').fill(account(role));
  await form.locator('input[name=password]').fill(PASSWORD);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
}

test('the admin sets the provider; an employee signs in with the company account', async () => {
  const page = await context.newPage();
  await passwordSignIn(page, 'admin');
  await page.goto(`${server.base}/admin`);
  await click(page, '[data-testid=to-sso]');
  assert.match(await page.textContent('h1'), /シングルサインオン/);
  assert.equal(await page.textContent('[data-testid=sso-redirect-uri]'), `${server.base}/sso/callback`);
  // A mistake is named and what was typed stays.
  await page.fill('[data-testid=sso-issuer]', 'http://idp.example.jp');
  await page.fill('[data-testid=sso-client-id]', 'kyoritsu-e2e');
  await page.fill('[data-testid=sso-client-secret]', 'an-e2e-client-secret');
  await click(page, '[data-testid=sso-save]');
  assert.match(await page.textContent('[data-testid=sso-errors]'), /HTTPS/);
  assert.equal(await page.inputValue('[data-testid=sso-issuer]'), 'http://idp.example.jp');
  await page.fill('[data-testid=sso-issuer]', issuer);
  await page.fill('[data-testid=sso-client-secret]', 'an-e2e-client-secret');
  await click(page, '[data-testid=sso-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /保存しました/);
  await click(page, '[data-testid=sso-check]');
  assert.match(await page.textContent('[data-testid=flash]'), /接続し、設定情報と署名鍵を取得できました/);
  assert.equal(await page.inputValue('[data-testid=sso-client-secret]'), '', 'the secret is never put back');
  await shot(page, 'admin-sso');
  await fitsPhone(page, 'admin-sso');

  // The sign-in page offers the company account first.
  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  assert.ok(await page.isVisible('[data-testid=sso-start]'));
  assert.ok(await page.isVisible('[data-testid=password-form]'), 'passwords still work');
  await shot(page, 'login-sso');
  await fitsPhone(page, 'login-sso');
  await next(account('employee'));
  await click(page, '[data-testid=sso-start]');
  await page.waitForSelector('[data-testid=signed-in-as]');
  assert.ok(page.url().startsWith(server.base), 'back at the product, signed in');

  // An ID token that fails its checks: a clear page, the password form still offered.
  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  await next(account('employee'), 'expired');
  await click(page, '[data-testid=sso-start]');
  await page.waitForSelector('[data-testid=login-error]');
  assert.match(await page.textContent('[data-testid=login-error]'), /認証サーバーからの応答を確認できなかった/);
  assert.ok(await page.isVisible('[data-testid=password-form]'));
  assert.equal(await page.locator('[data-testid=signed-in-as]').count(), 0);
  await shot(page, 'login-sso-refused');
  await page.close();
});

test('with SSO only, the password form folds away for the break-glass admin', async () => {
  const page = await context.newPage();
  await passwordSignIn(page, 'admin');
  await page.goto(`${server.base}/admin/sso`);
  await page.check('[data-testid=sso-only]');
  await page.selectOption('[data-testid=sso-break-glass]', account('admin'));
  await click(page, '[data-testid=sso-save]');
  assert.match(await page.textContent('[data-testid=sso-configured]'), /緊急用の管理者（admin@demo\.example\.jp）/);

  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  assert.equal(await page.isVisible('[data-testid=password-form]'), false, 'folded away');
  await shot(page, 'login-sso-only');
  await fitsPhone(page, 'login-sso-only');
  // A right password signs in nobody but the break-glass admin.
  await page.click('[data-testid=break-glass] summary');
  const form = page.locator('[data-testid=password-form]');
  await form.locator('input[name=email]').fill(account('employee'));
  await form.locator('input[name=password]').fill(PASSWORD);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  assert.match(await page.textContent('[data-testid=login-error]'), /シングルサインオンでログインしてください/);
  await passwordSignIn(page, 'admin');
  assert.ok(await page.locator('[data-testid=signed-in-as]').count(), 'the break-glass admin signs in');
  // The employee still signs in with the company account.
  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  await next(account('employee'));
  await click(page, '[data-testid=sso-start]');
  await page.waitForSelector('[data-testid=signed-in-as]');
  await page.close();
});

test('the admin makes the SCIM token on the settings page; the identity provider uses it', async () => {
  const page = await context.newPage();
  await passwordSignIn(page, 'admin');
  await page.goto(`${server.base}/admin`);
  await click(page, '[data-testid=to-scim]');
  assert.equal(await page.textContent('[data-testid=scim-base-url]'), `${server.base}/scim/v2`);
  await click(page, '[data-testid=scim-make-token]');
  const token = (await page.textContent('[data-testid=scim-token]')).trim();
  assert.match(token, /^scim_[0-9a-f]{64}$/);
  // The provider creates a group named 人事 with a new account in it.
  const scim = (path, method = 'GET', body) => fetch(`${server.base}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body: body && JSON.stringify(body),
  });
  const made = await scim('/Users', 'POST', { userName: 'scim.new@demo.example.jp', displayName: '新井 涼' });
  assert.equal(made.status, 201);
  const user = await made.json();
  const group = await scim('/Groups', 'POST', { displayName: '人事', members: [{ value: user.id }] });
  assert.equal(group.status, 201);
  await page.goto(`${server.base}/admin/scim`);
  assert.match(await page.textContent('[data-testid=scim-groups]'), /人事[\s\S]*1人[\s\S]*人事/);
  assert.equal(await page.locator('[data-testid=scim-token]').count(), 0, 'the token is shown only once');
  await shot(page, 'admin-scim');
  await fitsPhone(page, 'admin-scim');
  // Making a new one asks first; then the old one stops.
  await page.check('[data-testid=scim-replace-confirm]');
  await click(page, '[data-testid=scim-make-token]');
  assert.equal((await scim('/Users')).status, 401, 'the earlier token stopped');
  await page.close();
});
