// キャリア自律: admin states the company's definition, every employee can read it, and HR
// sees the autonomy rate by fiscal year as a chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, shot, click } from './support.mjs';

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


test('admin states the definition of career autonomy, employees read it, HR sees the rates', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/autonomy`);
  await page.fill('[data-testid=autonomy-horizon]', '0');
  await click(page, '[data-testid=autonomy-save]');
  assert.match(await page.textContent('[data-testid=autonomy-error]'), /1〜30年/);
  await page.fill('[data-testid=autonomy-horizon]', '3');
  await page.fill('[data-testid=autonomy-statement-input]', '自分でキャリアを選び、その道を歩み続けている人を、当社はキャリア自律した人と考えます。');
  await click(page, '[data-testid=autonomy-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /保存しました/);

  // The follow-up's grace period is the company's too.
  await page.goto(`${server.base}/admin`);
  await page.fill('[data-testid=grace-days]', '99');
  await click(page, '[data-testid=grace-save]');
  assert.match(await page.textContent('[data-testid=grace-error]'), /0〜60/);
  assert.equal(await page.inputValue('[data-testid=grace-days]'), '99', 'kept as typed');
  await page.fill('[data-testid=grace-days]', '7');
  await click(page, '[data-testid=grace-save]');
  assert.equal(await page.inputValue('[data-testid=grace-days]'), '7');

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=open-autonomy]');
  assert.match(await page.textContent('[data-testid=autonomy-statement]'), /歩み続けている人/);
  assert.match(await page.textContent('[data-testid=condition-vision]'), /3年以上先/);
  await shot(page, 'autonomy-definition');

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/autonomy`);
  assert.equal(await page.locator('[data-testid=autonomy-year]').count(), 10);
  assert.equal(await page.locator('[data-testid=autonomy-chart] svg rect').count() > 0, true);
  await shot(page, 'autonomy-rates');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone screen`);
  await page.close();
});

test('the consultant evaluates behaviour change; HR sees the shares by year', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/clients`);
  const first = page.locator('[data-testid=behaviour-client]').first();
  await first.locator('summary').click();
  await first.locator('[data-testid=behaviour-changed]').check();
  await first.locator('[data-testid=behaviour-reason]').fill('決めた行動を続けており、周囲にも変化が見えている。');
  await Promise.all([page.waitForLoadState('load'), first.locator('[data-testid=behaviour-save]').click()]);
  assert.match(await page.textContent('[data-testid=flash]'), /記録しました/);
  assert.match(await page.locator('[data-testid=behaviour-current]').first().textContent(), /変化があった/);
  await shot(page, 'behaviour-evaluation');

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/programmes`);
  const years = page.locator('[data-testid=behaviour-year]');
  assert.ok((await years.count()) >= 5, 'past years of evaluations');
  assert.match(await years.nth(1).textContent(), /%/);
  await shot(page, 'behaviour-distribution');
  await page.close();
});
