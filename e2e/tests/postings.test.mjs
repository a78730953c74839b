// 社内公募: HR publishes a posting (a posting without criteria is refused, as typed); the
// demo employee finds it by keyword and applies; their manager finds no trace of the
// application — not on the posting, the member's page or the application's own address —
// until HR records the offer (内定), and then sees which posting and the stage only.
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

const TITLE = 'E2E 人材開発担当（研修企画）';
const MOTIVATION = 'E2E秘密：研修の企画で、後輩の成長を支える仕事に挑戦したいです。';

test('HR publishes a posting; the employee applies; the manager sees it only from the offer on', async () => {
  const page = await context.newPage();

  // HR publishes: without criteria it is refused and everything typed stays.
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/opportunities`);
  await click(page, '[data-testid=posting-new]');
  await page.fill('[data-testid=posting-title]', TITLE);
  const hrDepartment = await page.locator('[data-testid=posting-department] option', { hasText: '人事部' }).first().getAttribute('value');
  await page.selectOption('[data-testid=posting-department]', hrDepartment);
  await page.fill('[data-testid=posting-work]', '全社研修の企画と運営を担当します。');
  await page.fill('[data-testid=posting-opens]', dateIn(0));
  await page.fill('[data-testid=posting-closes]', dateIn(30));
  await click(page, '[data-testid=posting-submit]');
  assert.match(await page.textContent('[data-testid=posting-criteria-error]'), /選考基準を入力してください/);
  assert.equal(await page.inputValue('[data-testid=posting-title]'), TITLE);
  assert.equal(await page.inputValue('[data-testid=posting-work]'), '全社研修の企画と運営を担当します。');
  await page.fill('[data-testid=posting-criteria-input]', '人の成長を支えた具体的な経験を伺います。');
  await shot(page, 'posting-hr-form');
  await fitsPhone(page, 'posting-hr-form');
  await click(page, '[data-testid=posting-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /公募を公開しました/);
  const postingUrl = page.url();
  assert.match(await page.textContent('[data-testid=posting-reveal]'), /「内定」の段階に進むまで/);

  // The employee finds it by keyword and applies.
  await signIn(page, server.base, 'employee');
  const employeeName = (await page.textContent('.who')).replace(/^.*[:：]\s*/, '').trim();
  await page.goto(`${server.base}/opportunities`);
  await shot(page, 'postings-employee-list');
  await fitsPhone(page, 'postings-employee-list');
  await page.fill('[data-testid=posting-search]', '人材開発');
  await click(page, '[data-testid=posting-search-go]');
  assert.equal(await page.locator('[data-testid=posting-row]').count(), 1);
  await click(page, '[data-testid=posting-link]');
  await page.fill('[data-testid=posting-motivation]', MOTIVATION);
  await shot(page, 'posting-employee-apply');
  await fitsPhone(page, 'posting-employee-apply');
  await click(page, '[data-testid=posting-apply-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /応募しました/);
  const applicationUrl = page.url();
  assert.match(await page.textContent('[data-testid=application-progress]'), /書類選考の選考中/);
  await shot(page, 'application-employee');

  // The manager: the posting is public, the application is not — anywhere.
  await signIn(page, server.base, 'manager');
  await page.goto(postingUrl);
  assert.equal(await page.locator('[data-testid=posting-applicants]').count(), 0);
  assert.ok(!(await page.content()).includes(employeeName), 'the posting names no applicant');
  await page.goto(`${server.base}/members`);
  await click(page, page.locator('[data-testid=member-row] a', { hasText: employeeName }));
  const memberUrl = page.url();
  assert.equal(await page.locator('[data-testid=person-application]', { hasText: TITLE }).count(), 0);
  await page.goto(`${server.base}/notifications`);
  assert.ok(!(await page.content()).includes('E2E秘密'));
  const hidden = await page.goto(applicationUrl);
  assert.equal(hidden.status(), 404, 'the application does not exist for the manager');

  // HR reads it and records 書類選考 and 面接: the offer.
  await signIn(page, server.base, 'hr');
  await page.goto(postingUrl);
  await shot(page, 'posting-hr-applicants');
  await click(page, page.locator('[data-testid=applicant-row] a', { hasText: employeeName }));
  assert.match(await page.textContent('[data-testid=application-motivation]'), /E2E秘密/);
  await page.check('[data-testid=outcome-passed]');
  await page.fill('[data-testid=outcome-reason]', '研修を企画した経験が具体的でした。');
  await click(page, '[data-testid=outcome-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /記録しました/);
  await page.check('[data-testid=outcome-passed]');
  await page.fill('[data-testid=outcome-reason]', '面接で、人の成長を支える姿勢がよく伝わりました。');
  await shot(page, 'application-hr-record');
  await fitsPhone(page, 'application-hr-record');
  await click(page, '[data-testid=outcome-submit]');
  assert.match(await page.textContent('[data-testid=application-progress]'), /内定/);

  // Now the manager sees which posting and that it is an offer — not the words.
  await signIn(page, server.base, 'manager');
  await page.goto(memberUrl);
  const revealed = page.locator('[data-testid=person-application]', { hasText: TITLE });
  assert.equal(await revealed.count(), 1);
  await shot(page, 'member-application-revealed');
  await click(page, revealed.locator('a'));
  assert.match(await page.textContent('[data-testid=application-progress]'), /内定/);
  assert.equal(await page.locator('[data-testid=application-motivation]').count(), 0);
  assert.ok(!(await page.content()).includes('E2E秘密'));
  await shot(page, 'application-manager-line-above');
  await fitsPhone(page, 'application-manager-line-above');

  // The employee reads the reasons given at each stage.
  await signIn(page, server.base, 'employee');
  await page.goto(applicationUrl);
  assert.equal(await page.locator('[data-testid=application-reason]').count(), 2);
  await fitsPhone(page, 'application-employee');
  await page.close();
});
