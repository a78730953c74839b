// 会社の方針: HR writes a new version of the company's policy; the demo employee reads it
// with every scheme linked to where it is used.
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

test('HR writes the company policy; the employee reads it with the schemes linked', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/policy`);
  await click(page, '[data-testid=policy-edit]');
  await page.fill('[data-testid=policy-message-input]', 'E2E方針：挑戦する人を、会社は全力で応援します。');
  await page.fill('[data-testid=policy-note-side_jobs]', '申請から2週間以内にお返事します。');
  await shot(page, 'policy-hr-edit');
  await click(page, '[data-testid=policy-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /方針を保存しました（第\d+版）/);

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/policy`);
  assert.match(await page.textContent('[data-testid=policy-message-text]'), /E2E方針/);
  const sideJobs = page.locator('[data-testid=policy-scheme][data-key=side_jobs]');
  assert.match(await sideJobs.locator('[data-testid=policy-note]').textContent(), /2週間以内/);
  assert.equal(await page.locator('[data-testid=policy-scheme]').count(), 10);
  assert.equal(await page.locator('[data-testid=policy-scheme][data-key=subsidies] h3 a').getAttribute('href'), '/opportunities/subsidies');
  await shot(page, 'policy-employee');
  await fitsPhone(page, 'policy-employee');
  await click(page, sideJobs.locator('h3 a'));
  assert.match(page.url(), /\/opportunities\/side-jobs$/);
  await page.close();
});
