// 研修後アンケート: HR places the demo employee in a session that has just taken place;
// the employee answers on マイキャリア (an incomplete form comes back with what was chosen
// and why), once; HR reads the answers by instructor style × participant segment beside
// the placement, small cells hidden.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, shot, click, fitsPhone, artifacts, dateIn } from './support.mjs';

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


test('a participant answers the post-training survey once and HR reads it by style and segment', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  const me = (await page.textContent('[data-testid=signed-in-as]')).replace(/^.*:\s*/, '').trim();
  await page.goto(`${server.base}/my`);
  const banner = page.locator('[data-testid=my-programme]', { hasText: '50歳節目キャリア研修' });
  const myPath = `${server.base}${await banner.locator('a').first().getAttribute('href')}`;
  const programmeUrl = myPath.replace('/my/programmes/', '/programmes/');
  await page.goto(myPath);
  // Placed by the demo in a session long over, or not placed: either way no form.
  assert.equal(await page.locator('[data-testid=training-feedback-form]').count(), 0);

  // HR: a session that took place five days ago, and the employee placed in it by hand.
  await signIn(page, server.base, 'hr');
  await page.goto(programmeUrl);
  await page.click('[data-testid=session-add-open]');
  await page.fill('[data-testid=session-date]', dateIn(-5));
  await page.fill('[data-testid=session-start]', '18:00');
  await page.fill('[data-testid=session-end]', '20:00');
  await page.fill('[data-testid=session-place]', '本社 研修室C');
  await page.fill('[data-testid=session-capacity]', '3');
  await page.selectOption('[data-testid=session-instructor]', { label: '森田 香織' });
  await page.selectOption('[data-testid=session-style]', 'calm');
  await click(page, '[data-testid=session-add]');
  assert.match(await page.textContent('[data-testid=flash]'), /研修日程を追加しました/);
  const row = page.locator('[data-testid=participant]', { hasText: me });
  await row.locator('[data-testid=pin-open]').click();
  const option = await row.locator('[data-testid=pin-session] option', { hasText: '本社 研修室C' }).getAttribute('value');
  await row.locator('[data-testid=pin-session]').selectOption(option);
  await click(page, row.locator('[data-testid=pin]'));

  // The employee: the survey is open; a form without the two ratings comes back.
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=my-training-feedback]');
  assert.equal(await page.getAttribute('[data-testid=training-feedback]', 'data-state'), 'open');
  assert.match(await page.textContent('[data-testid=training-feedback]'), /匿名/);
  await page.check('[data-testid=feedback-topic-vision]');
  await click(page, '[data-testid=feedback-submit]');
  const errors = await page.textContent('[data-testid=training-feedback-errors]');
  assert.match(errors, /役に立ったか/);
  assert.match(errors, /講師の進め方/);
  assert.ok(await page.isChecked('[data-testid=feedback-topic-vision]'), 'what was chosen is kept');
  await page.check('[data-testid=feedback-useful-4]');
  await page.check('[data-testid=feedback-fit-5]');
  await page.check('[data-testid=feedback-topic-first_step]');
  await shot(page, 'training-feedback-form');
  await fitsPhone(page, 'training-feedback-form');
  await click(page, '[data-testid=feedback-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /ありがとうございました/);
  assert.equal(await page.getAttribute('[data-testid=training-feedback]', 'data-state'), 'given');
  assert.equal(await page.locator('[data-testid=training-feedback-form]').count(), 0, 'answered once');

  // HR: the table beside the placement; every shown cell covers at least k people.
  await signIn(page, server.base, 'hr');
  await page.goto(programmeUrl);
  const report = page.locator('[data-testid=training-feedback-report]');
  assert.match(await report.textContent(), /講師のスタイル × 参加者の区分/);
  assert.match(await page.textContent('[data-testid=training-feedback-participation]'), /回答 \d+名/);
  assert.equal(await report.locator('[data-testid=training-feedback-table]').count(), 2, 'this programme and the company');
  const people = await report.locator('[data-testid=feedback-row][data-shown=true]').evaluateAll(
    (rows) => rows.map((r) => r.querySelector('td.num').textContent));
  for (const p of people) {
    const n = Number(p.replace(/[^0-9]/g, ''));
    assert.ok(n >= 5, `a shown cell of ${n}`);
  }
  assert.ok(people.length > 0, 'the company column shows the demo years');
  await report.scrollIntoViewIfNeeded();
  await report.screenshot({ path: join(artifacts, 'training-feedback-report.png') });
  await fitsPhone(page, 'training-feedback-report');
  await page.close();
});
