// 学ぶ and 資格取得支援: the demo employee finds a course by a hiragana keyword, records it
// and writes how they will use it; the manager, told on their home, adds theirs; the
// employee claims a certification subsidy — a receipt that is not a PDF is refused with
// the form kept, the real one is accepted; HR, told on their home, approves and records
// the payment; the manager never sees the claim.
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

const receipt = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('a course is recorded and noted by employee and manager; a subsidy is applied for, approved and paid', async () => {
  const page = await context.newPage();

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities`);
  await click(page, '[data-testid=tab-learning]');
  await page.fill('[data-testid=course-search]', 'ろじかる');
  await click(page, '[data-testid=course-search-go]');
  const course = page.locator('[data-testid=course-row]', { hasText: 'ロジカル・ライティング講座' });
  assert.equal(await page.locator('[data-testid=course-row]').count(), 1, 'only the course that matches');
  // The date picker offers no day after today (the server refuses one too).
  await course.locator('[data-testid=course-complete-open]').click();
  assert.ok((await page.getAttribute('[data-testid=course-completed-on]', 'max')) >= dateIn(0));
  await page.fill('[data-testid=course-completed-on]', dateIn(0));
  await click(page, course.locator('[data-testid=course-complete]'));
  assert.match(await page.textContent('[data-testid=flash]'), /受講を記録しました/);
  const mine = page.locator('[data-testid=completions-mine] [data-testid=completion-row]', { hasText: 'ロジカル・ライティング講座' });
  await mine.locator('[data-testid=use-open]').click();
  await mine.locator('[data-testid=use-note]').fill('E2E活用：週報を結論から書き、課長の確認を1往復で終えます');
  await click(page, mine.locator('[data-testid=use-save]'));
  assert.match(await page.textContent('[data-testid=flash]'), /活かし方を保存しました/);
  await shot(page, 'learning-employee');
  await fitsPhone(page, 'learning-employee');

  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/members`);
  await click(page, '[data-testid=completions-waiting] a');
  const member = page.locator('[data-testid=completions-members] [data-testid=completion-row]', { hasText: 'E2E活用' });
  await member.locator('[data-testid=use-open]').click();
  await member.locator('[data-testid=use-note]').fill('来月の提案書の初稿を任せます');
  await click(page, member.locator('[data-testid=use-save]'));
  assert.match(await page.textContent('[data-testid=flash]'), /活かし方を保存しました/);
  assert.match(await page.locator('[data-testid=completions-members] [data-testid=completion-row]', { hasText: 'E2E活用' }).locator('[data-testid=manager-use]').textContent(), /提案書の初稿/);
  await shot(page, 'learning-manager');
  await fitsPhone(page, 'learning-manager');

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities/subsidies`);
  await page.selectOption('[data-testid=subsidy-certification-select]', '応用情報技術者試験');
  await page.fill('[data-testid=subsidy-exam-on]', dateIn(-5));
  await page.fill('[data-testid=subsidy-fee]', '7500');
  await page.fill('[data-testid=subsidy-note]', 'E2E申請：午後試験まで受験しました');
  await page.setInputFiles('[data-testid=subsidy-receipt]', { name: '領収書.pdf', mimeType: 'application/pdf', buffer: Buffer.from('これはPDFではありません') });
  await click(page, '[data-testid=subsidy-submit]');
  assert.match(await page.textContent('[data-testid=subsidy-errors]'), /PDF・JPEG・PNG/);
  assert.equal(await page.inputValue('[data-testid=subsidy-fee]'), '7500');
  assert.equal(await page.inputValue('[data-testid=subsidy-note]'), 'E2E申請：午後試験まで受験しました');
  await shot(page, 'subsidy-refused');
  await fitsPhone(page, 'subsidy-refused');
  await page.setInputFiles('[data-testid=subsidy-receipt]', { name: '領収書.pdf', mimeType: 'application/pdf', buffer: receipt });
  await click(page, '[data-testid=subsidy-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /申請を受け付けました/);
  assert.match(await page.locator('[data-testid=subsidy-mine-row]', { hasText: '応用情報技術者試験' }).textContent(), /確認待ち/);

  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/opportunities/subsidies`);
  assert.ok(!(await page.content()).includes('E2E申請'), 'the manager never sees the claim');

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/programmes`);
  await click(page, '[data-testid=claims-waiting] a');
  const row = page.locator('[data-testid=subsidy-waiting-row]', { hasText: 'E2E申請' });
  await row.locator('[data-testid=subsidy-approve]').check();
  await shot(page, 'subsidy-hr-decide');
  await fitsPhone(page, 'subsidy-hr-decide');
  await click(page, row.locator('[data-testid=subsidy-decide]'));
  assert.match(await page.textContent('[data-testid=flash]'), /判断を記録し/);
  const toPay = page.locator('[data-testid=subsidy-to-pay-row]', { hasText: '応用情報技術者試験' });
  await toPay.locator('[data-testid=subsidy-paid-on]').fill(dateIn(0));
  await click(page, toPay.locator('[data-testid=subsidy-paid]'));
  assert.match(await page.textContent('[data-testid=flash]'), /支給を記録し/);

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/opportunities/subsidies`);
  assert.match(await page.locator('[data-testid=subsidy-mine-row]', { hasText: '応用情報技術者試験' }).textContent(), /支給済み/);
  await shot(page, 'subsidy-employee-paid');
  await fitsPhone(page, 'subsidy-employee-paid');
  await page.close();
});
