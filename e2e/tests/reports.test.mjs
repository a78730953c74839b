// A feedback report (面談所感): the consultant drafts it, the preview refuses a withheld
// topic, the fixed report goes to the manager, who reads it without the withheld topic,
// acknowledges it and records the support given; the consultant sees the acknowledgement.
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


test('a feedback report reaches the manager without what the employee withheld, and is acknowledged', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  const employeeName = (await page.textContent('[data-testid=signed-in-as]')).split(/[:：]\s*/).pop().trim();

  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=past] tr', { hasText: 'キャリア面談' }).filter({ hasText: employeeName }).first().locator('a').click(),
  ]);
  const interview = page.url();
  // The commitment that counts is already filled in.
  assert.match(await page.inputValue('[data-testid=report-committed]'), /社内公募/);
  await page.fill('[data-testid=report-unknown_side]', '顧客との信頼関係づくりは、ご本人が思う以上の強みです。');
  await page.fill('[data-testid=report-motivation]', '母の介護が落ち着けば、育成の役割で力を発揮できます。');
  await page.fill('[data-testid=report-support]', '後輩の指導を任せてみてください。');
  await click(page, '[data-testid=report-preview]');
  assert.match(await page.textContent('[data-testid=report-blocked]'), /母の介護/);
  await shot(page, 'report-preview-blocked');
  await page.goto(interview);
  await page.fill('[data-testid=report-motivation]', '後輩の相談に乗る役割で、力を発揮できます。');
  await click(page, '[data-testid=report-preview]');
  assert.match(await page.textContent('[data-testid=preview-notice]'), /このとおりに表示されます/);
  // Each withheld topic is ticked as absent, by the consultant's own reading.
  const ticks = page.locator('[data-testid=withheld-ok]');
  assert.ok(await ticks.count() >= 1, 'the withheld topics to check');
  for (let i = 0; i < await ticks.count(); i++) await ticks.nth(i).check();
  await shot(page, 'report-preview-ready');
  await click(page, '[data-testid=report-send]');
  assert.match(await page.textContent('[data-testid=flash]'), /送信しました/);
  // No mail server is configured here: the email to the manager waits in the outbox.
  assert.match(await page.textContent('[data-testid=report-email]'), /送信待ち/);
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/admin/outbox`);
  assert.equal(await page.locator('[data-testid=outbox-no-smtp]').count(), 1);
  assert.match(await page.locator('[data-testid=outbox-row]', { hasText: 'manager@demo.example.jp' }).first().textContent(), /面談所感の到着.*送信待ち/s);
  await shot(page, 'admin-outbox');

  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/reports`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=inbox] li', { hasText: employeeName }).filter({ hasText: '未確認' }).first().locator('a').click(),
  ]);
  const report = await page.textContent('main');
  assert.match(report, /後輩の相談に乗る役割/);
  assert.ok(!report.includes('母の介護'), 'a withheld topic never reaches the manager');
  await page.fill('[data-testid=support-input]', '来月から後輩2名の指導を任せました。');
  await click(page, '[data-testid=acknowledge]');
  assert.match(await page.textContent('[data-testid=acknowledged]'), /上司確認済み/);
  await shot(page, 'report-manager-acknowledged');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the report is ${overflow}px wider than a phone screen`);
  await page.setViewportSize({ width: 1280, height: 800 });

  await signIn(page, server.base, 'consultant');
  await page.goto(interview);
  assert.match(await page.textContent('[data-testid=report-acknowledged]'), /上司確認済み/);
  assert.match(await page.textContent('[data-testid=report-support]'), /後輩2名の指導/);

  // The employee reads the report about them, as sent, from マイキャリア; then withdraws
  // consent, told first that this retracts the report from the manager.
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, page.locator('[data-testid=my-report]').first());
  assert.match(await page.textContent('main'), /後輩の相談に乗る役割/);
  await shot(page, 'report-employee-reads');
  await page.goto(interview);
  await page.click('[data-testid=consent-withdraw-open]');
  assert.match(await page.textContent('[data-testid=consent-withdraw-effect]'), /上司の画面から取り下げられます/);
  await shot(page, 'consent-withdraw-confirm');
  await click(page, '[data-testid=consent-withdraw]');
  assert.match(await page.textContent('[data-testid=flash]'), /取り下げられました/);
  assert.match(await page.textContent('[data-testid=consent-report]'), /取り下げられています/);

  // The manager now sees only that it was withdrawn at the employee's request.
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/reports`);
  const gone = page.locator('[data-testid=inbox-withdrawn]', { hasText: employeeName }).first();
  assert.match(await gone.textContent(), /本人の申し出により取り下げ/);
  assert.equal(await gone.locator('a').count(), 0, 'no link to its content');
  await shot(page, 'report-manager-withdrawn');
  await page.close();
});

test('consent the consultant recorded in the session waits for the employee, who confirms it from マイキャリア', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  const item = page.locator('[data-testid=my-consent-to-confirm]').first();
  assert.match(await item.textContent(), /確認をお願いします/);
  await shot(page, 'my-consent-to-confirm');
  await click(page, item.locator('a'));
  assert.match(await page.textContent('[data-testid=consent-unconfirmed]'), /キャリアコンサルタントが、面談で確かめた内容/);
  assert.match(await page.textContent('[data-testid=consent-unconfirmed]'), /確認するまで、上司には何も送られません/);
  await shot(page, 'consent-to-confirm');
  const dialogue = page.url().split('#')[0];
  await click(page, '[data-testid=consent-confirm]');
  assert.match(await page.textContent('[data-testid=flash]'), /確認しました/);
  assert.equal(await page.locator('[data-testid=consent-unconfirmed]').count(), 0);
  await page.goto(`${server.base}/my`);
  assert.equal(await page.locator(`[data-testid=my-consent-to-confirm] a[href^="${new URL(dialogue).pathname}"]`).count(), 0);
  // The consultant sees the employee's confirmation in the history.
  await signIn(page, server.base, 'consultant');
  await page.goto(dialogue);
  assert.equal(await page.locator('[data-testid=consent-unconfirmed]').count(), 0);
  assert.match(await page.textContent('[data-testid=consent]'), /確認（本人）/);
  await page.close();
});
