// 副業・兼業: HR lists a competing field; the demo employee's application in that field is
// refused with the rule named and the form kept; a valid one is approved by HR; the
// manager never sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, shot, click, fitsPhone, dateIn } from './support.mjs';

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

test('a side job in a competing field is refused; a valid one is approved by HR', async () => {
  const page = await context.newPage();

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/opportunities/side-jobs`);
  await page.click('[data-testid=side-job-rules-open]');
  await page.fill('[data-testid=side-job-cap]', '30');
  await page.fill('[data-testid=side-job-fields]', '食品卸\n物流');
  await click(page, '[data-testid=side-job-rules-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /規定を保存しました/);

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities`);
  await click(page, '[data-testid=tab-side-jobs]');
  await page.fill('[data-testid=side-job-field]', '食品卸の営業代行');
  await page.fill('[data-testid=side-job-client]', '知人の会社');
  await page.fill('[data-testid=side-job-work]', 'E2E副業：週末の営業代行');
  await page.fill('[data-testid=side-job-hours]', '12');
  await page.fill('[data-testid=side-job-starts]', dateIn(14));
  await page.fill('[data-testid=side-job-ends]', dateIn(180));
  await page.check('[data-testid=side-job-pledge]');
  await click(page, '[data-testid=side-job-submit]');
  assert.match(await page.textContent('[data-testid=side-job-errors]'), /「食品卸」に該当するため、申請できません/);
  assert.equal(await page.inputValue('[data-testid=side-job-work]'), 'E2E副業：週末の営業代行');
  await shot(page, 'side-job-refused');
  await fitsPhone(page, 'side-job-refused');
  await page.fill('[data-testid=side-job-field]', 'Webデザイン');
  await page.fill('[data-testid=side-job-client]', '地域のNPO法人');
  await page.fill('[data-testid=side-job-work]', 'E2E副業：NPOのホームページ更新');
  await page.check('[data-testid=side-job-pledge]');
  await click(page, '[data-testid=side-job-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /申請しました/);
  assert.match(await page.textContent('[data-testid=side-job-status]'), /確認待ち/);

  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/opportunities/side-jobs`);
  assert.ok(!(await page.content()).includes('E2E副業'), 'the manager never sees it');

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/opportunities/side-jobs`);
  const row = page.locator('[data-testid=side-job-waiting-row]', { hasText: 'E2E副業' });
  await row.locator('[data-testid=side-job-approve]').check();
  await shot(page, 'side-job-hr-decide');
  await fitsPhone(page, 'side-job-hr-decide');
  await click(page, row.locator('[data-testid=side-job-decide]'));
  assert.match(await page.textContent('[data-testid=flash]'), /判断を記録しました/);

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities/side-jobs`);
  assert.match(await page.textContent('[data-testid=side-job-mine-row][data-status=approved]'), /Webデザイン/);
  await shot(page, 'side-job-employee-approved');
  await page.close();
});
