// 社内FA: the demo manager reads the declarations of people in other departments and
// asks one for an interview; the demo employee declares — and their manager never sees
// that declaration; the employee withdraws it after a confirmation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, shot, click, fitsPhone } from './support.mjs';

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

const WANTS = 'E2E-FA：人事でキャリア支援の仕事に挑戦したいです。';

test('a manager asks a declarant elsewhere for an interview; the employee declares unseen by their manager', async () => {
  const page = await context.newPage();

  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/opportunities`);
  await click(page, '[data-testid=tab-fa]');
  const open = page.locator('[data-testid=fa-declaration]', { has: page.locator('[data-testid=fa-request-message]') }).first();
  await open.locator('[data-testid=fa-request-message]').fill('営業課の新しいチームで、一度お話しできませんか。');
  await shot(page, 'fa-manager-browse');
  await fitsPhone(page, 'fa-manager-browse');
  await click(page, open.locator('[data-testid=fa-request-send]'));
  assert.match(await page.textContent('[data-testid=flash]'), /面談を申し込みました/);

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities/fa`);
  await page.fill('[data-testid=fa-experience]', '営業で10年、後輩の育成を担当してきました。');
  await page.fill('[data-testid=fa-wants]', WANTS);
  await shot(page, 'fa-employee-declare');
  await fitsPhone(page, 'fa-employee-declare');
  await click(page, '[data-testid=fa-declare]');
  assert.match(await page.textContent('[data-testid=flash]'), /FA宣言をしました/);
  assert.equal(await page.locator('[data-testid=fa-active]').count(), 1);

  // The employee's own manager does not see it.
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/opportunities/fa`);
  assert.ok(!(await page.content()).includes('E2E-FA'));

  // The employee withdraws it after a confirmation.
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities/fa`);
  await page.click('[data-testid=fa-withdraw-open]');
  await click(page, '[data-testid=fa-withdraw]');
  assert.match(await page.textContent('[data-testid=flash]'), /取り下げました/);
  assert.equal(await page.locator('[data-testid=fa-active]').count(), 0);
  await page.close();
});
