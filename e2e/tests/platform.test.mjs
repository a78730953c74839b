// The platform in a real browser: every demo role signs in and lands on its home page in
// Japanese, the language switch gives English, sign-out works, a wrong password is explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, shot, artifacts } from './support.mjs';

let server;
let context;

before(async () => {
  server = await startServer();
  context = await launchBrowser();
});

after(async () => {
  await context?.close();
  await server?.stop();
});

const homes = [
  ['employee', '/my', 'マイキャリア'],
  ['manager', '/members', 'メンバー'],
  ['consultant', '/clients', '担当するクライアント'],
  ['instructor', '/training', '研修'],
  ['hr', '/programmes', '施策'],
  ['admin', '/admin', '設定'],
];

for (const [role, path, title] of homes) {
  test(`${role} signs in and lands on ${path} in Japanese`, async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await signIn(page, server.base, role);
    assert.equal(new URL(page.url()).pathname, path);
    assert.equal((await page.textContent('[data-testid=page-title]')).trim(), title);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await shot(page, `home-${role}`);
    await page.close();
  });
}

test('the language switch shows English and back', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=switch-language]')]);
  assert.equal((await page.textContent('[data-testid=page-title]')).trim(), 'My career');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await shot(page, 'home-employee-en');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=switch-language]')]);
  assert.equal((await page.textContent('[data-testid=page-title]')).trim(), 'マイキャリア');
  await page.close();
});

test('sign-out returns to the sign-in page and protects pages again', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await signIn(page, server.base, 'manager');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=sign-out]')]);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.match(await page.textContent('[data-testid=flash]'), /ログアウトしました/);
  await page.goto(`${server.base}/members`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.close();
});

test('a wrong password shows a clear message and keeps the email', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await signIn(page, server.base, 'hr', 'not-the-password');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.match(await page.textContent('[data-testid=login-error]'), /メールアドレスまたはパスワードが正しくありません/);
  assert.equal(await page.inputValue('input[name=email]'), 'hr@demo.example.jp');
  await shot(page, 'login-wrong-password');
  await page.close();
});

test('an employee cannot open HR or admin pages', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  for (const path of ['/programmes', '/admin', '/admin/audit']) {
    const r = await page.goto(`${server.base}${path}`);
    assert.equal(r.status(), 403, path);
    assert.match(await page.textContent('[data-testid=error-page] h1'), /このページは表示できません/);
  }
  await shot(page, 'forbidden');
  await page.close();
});

test('pages fit a phone-width screen', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  for (const role of ['manager', 'admin']) {
    await context.clearCookies();
    await signIn(page, server.base, role);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${role}: the page is ${overflow}px wider than the screen`);
    // Every menu item is on the screen, none hidden off to the side.
    const hidden = await page.evaluate(() => [...document.querySelectorAll('.nav a')]
      .filter((a) => a.getBoundingClientRect().right > window.innerWidth + 1)
      .map((a) => a.textContent.trim()));
    assert.deepEqual(hidden, [], `${role}: menu items off the screen`);
    await shot(page, `phone-${role}`);
  }
  // The consultant's menu, where 面談所感 used to be off-screen, and HR's, the longest.
  for (const role of ['consultant', 'hr']) {
    await context.clearCookies();
    await signIn(page, server.base, role);
    const hidden = await page.evaluate(() => [...document.querySelectorAll('.nav a')]
      .filter((a) => a.getBoundingClientRect().right > window.innerWidth + 1)
      .map((a) => a.textContent.trim()));
    assert.deepEqual(hidden, [], `${role}: menu items off the screen`);
    await page.locator('header').screenshot({ path: join(artifacts, `phone-nav-${role}.png`) });
  }
  for (const path of ['/admin/audit', '/admin/users']) {
    await page.goto(`${server.base}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${path}: the page is ${overflow}px wider than the screen`);
    await shot(page, `phone${path.replaceAll('/', '-')}`);
  }
  await page.close();
});

test('a manager opens a report\'s profile with the ratings chart', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'manager');
  await Promise.all([page.waitForLoadState('load'), page.locator('table a[href^="/people/"]').first().click()]);
  assert.match(new URL(page.url()).pathname, /^\/people\/\d+$/);
  await page.locator('[data-testid=rating-chart] svg').waitFor();
  assert.equal(await page.locator('text=生年月日').count(), 0, 'a manager does not see birth dates');
  await shot(page, 'profile-manager-view');
  await page.close();
});

test('repeated failed sign-ins are slowed, never locked out, and the admin clears the delay', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  // Someone guessing at an address that has no account: after five failures the
  // answer asks them to wait, exactly as it would for a real account.
  for (let i = 0; i < 5; i++) {
    await signIn(page, server.base, 'nobody', `guess-${i}`);
    assert.match(await page.textContent('[data-testid=login-error]'), /メールアドレスまたはパスワードが正しくありません/);
  }
  await signIn(page, server.base, 'nobody', 'guess-5');
  assert.match(await page.textContent('[data-testid=login-error]'), /しばらく受け付けを止めています。\d+秒ほど待ってから/);
  await shot(page, 'login-throttled');
  // The admin sees the delay on the users page and clears it.
  await context.clearCookies();
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/admin/users`);
  const row = page.locator('[data-testid=throttle-row]', { hasText: 'nobody@demo.example.jp' });
  await row.waitFor();
  assert.match(await row.textContent(), /アカウント/);
  await shot(page, 'admin-sign-in-throttles');
  await Promise.all([page.waitForLoadState('load'), row.locator('button').click()]);
  assert.match(await page.textContent('[data-testid=flash]'), /nobody@demo\.example\.jp の一時制限を解除しました|nobody@demo\.example\.jpの一時制限を解除しました/);
  assert.equal(await page.locator('[data-testid=throttle-row]', { hasText: 'nobody@demo.example.jp' }).count(), 0);
  await page.close();
});
