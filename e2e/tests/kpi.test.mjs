// KPIダッシュボード: HR sees this year's KPIs on the home page, opens the dashboard (each
// KPI with its definition and ten-year trend), looks at last year, goes down into a unit
// and exports the figures; the manager reads their own unit only.
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

test('HR reads the KPIs from the home page down to a unit and exports them; the manager reads their unit only', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  assert.match(await page.textContent('[data-testid=home-kpis]'), /面談実施率/);
  await click(page, '[data-testid=home-kpi-more]');
  assert.match(await page.textContent('[data-testid=page-title]'), /KPIダッシュボード/);
  // Every KPI is there with a one-line definition beside it.
  assert.equal(await page.locator('[data-testid=kpi-cards] section.kpi').count(), 13);
  assert.match(await page.textContent('[data-testid=kpi-opportunity_usage] [data-testid=kpi-value]'), /%/);
  assert.match(await page.textContent('[data-testid=kpi-interview_coverage]'), /在籍者/);
  assert.match(await page.textContent('[data-testid=kpi-interview_coverage] [data-testid=kpi-value]'), /%/);
  assert.match(await page.textContent('[data-testid=kpi-one_on_one_cadence] [data-testid=kpi-value]'), /%/);
  await shot(page, 'kpi-hr');
  await fitsPhone(page, 'kpi-hr');

  // Last fiscal year: the closed 5-supports survey's score is there.
  const years = await page.$$eval('[data-testid=kpi-fy] option', (os) => os.map((o) => o.value));
  assert.equal(years.length, 10, 'ten years to choose from');
  await page.selectOption('[data-testid=kpi-fy]', years[1]);
  await click(page, '[data-testid=kpi-show]');
  assert.match(await page.textContent('[data-testid=kpi-support_score] [data-testid=kpi-value]'), /^\d\.\d\d$/);
  await shot(page, 'kpi-hr-last-year');

  // Down into a unit: its sub-units, small ones hidden.
  await click(page, page.locator('[data-testid=kpi-down]').first());
  assert.match(await page.textContent('[data-testid=kpi-path]'), /全社 ›/);
  await shot(page, 'kpi-hr-unit');

  // The export downloads the same figures.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid=kpi-xlsx]'),
  ]);
  assert.match(download.suggestedFilename(), /^kpi-\d{4}\.xlsx$/);

  // The manager: their own unit, never the company.
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/kpi`);
  assert.doesNotMatch(await page.textContent('[data-testid=kpi-path]'), /全社/);
  assert.equal(await page.locator('[data-testid=kpi-opportunity_usage]').count(), 0, 'opportunity usage is HR\'s only');
  await shot(page, 'kpi-manager');
  await fitsPhone(page, 'kpi-manager');
  await page.close();
});
