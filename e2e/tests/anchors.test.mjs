// The Career Anchor inventory (キャリア・アンカー) on マイキャリア: an incomplete sheet is
// refused with the exact reason and comes back as answered; the completed one shows the
// profile as a radar chart with the dominant anchor; retaking keeps the history.
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


test('an employee takes the Career Anchor inventory and sees their profile', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=open-anchors]');
  await click(page, '[data-testid=anchors-take]');
  // The counter above the list follows the answers.
  assert.equal((await page.textContent('[data-testid=inventory-answered]')).trim(), '0');
  // Autonomy statements (3, 11, 19, 27, 35) are most true; everything else middling.
  for (let n = 1; n <= 40; n++) {
    if (n === 40) continue; // forgotten at first
    const v = (n - 1) % 8 === 2 ? '6' : '3';
    await page.check(`input[name=r${n}][value="${v}"]`);
  }
  assert.equal((await page.textContent('[data-testid=inventory-answered]')).trim(), '39');
  assert.match(await page.textContent('[data-testid=inventory-progress]'), /39 \/ 40問/);
  for (const n of [3, 11, 19, 27]) await page.check(`[data-testid=statement][data-number="${n}"] [data-testid=pick]`);
  await click(page, '[data-testid=anchors-submit]');
  const errors = await page.textContent('[data-testid=anchors-errors]');
  assert.match(errors, /まだ回答していない文が\d+問あります（40番）/);
  assert.match(errors, /いま選ばれているのは4個です/);
  assert.equal(await page.isChecked('input[name=r3][value="6"]'), true, 'answers kept');
  assert.equal((await page.textContent('[data-testid=inventory-answered]')).trim(), '39', 'the counter as sent back');
  assert.equal(await page.locator('[data-testid=statement].flagged').count(), 1);
  await shot(page, 'anchors-refused');
  await page.check('input[name=r40][value="3"]');
  await page.uncheck('[data-testid=statement][data-number="27"] [data-testid=pick]');
  await click(page, '[data-testid=anchors-submit]');
  assert.match(await page.textContent('[data-testid=anchor-dominant]'), /自律・独立/);
  assert.equal(await page.locator('[data-testid=anchor-radar]').count(), 1);
  // Autonomy: 5 × 6 + 3 × 4 = 42 → 8.4.
  assert.equal((await page.textContent('[data-testid=anchor-line][data-anchor=autonomy] [data-testid=anchor-score]')).trim(), '8.4');
  await shot(page, 'anchors-result');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the result is ${overflow}px wider than a phone screen`);
  await shot(page, 'anchors-result-phone');
  await page.goto(`${server.base}/my/anchors/take`);
  const overflowForm = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflowForm <= 1, `the form is ${overflowForm}px wider than a phone screen`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.close();
});
