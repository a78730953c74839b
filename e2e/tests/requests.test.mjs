// 依頼: the employee asks their manager for a 1on1 with three times that suit them; the
// request waits on the manager's home; the manager books one of the times and the
// employee finds the 1on1 booked.
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


test('an employee asks for a 1on1; it reaches the manager\'s home and is booked at one of the times', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=open-requests]');
  await page.check('[data-testid=request-to-manager]');
  await page.fill('[data-testid=request-message-input]', 'E2E：来期の担当について相談したいです');
  // No time yet: told, and the message stays.
  await click(page, '[data-testid=request-send]');
  assert.match(await page.textContent('[data-testid=request-error]'), /1つ以上入力してください/);
  assert.equal(await page.inputValue('[data-testid=request-message-input]'), 'E2E：来期の担当について相談したいです');
  await page.fill('[data-testid=request-date-0]', dateIn(9));
  await page.fill('[data-testid=request-time-0]', '16:00');
  await page.fill('[data-testid=request-date-1]', dateIn(10));
  await page.fill('[data-testid=request-time-1]', '10:30');
  await shot(page, 'request-employee-form');
  await click(page, '[data-testid=request-send]');
  assert.match(await page.textContent('[data-testid=flash]'), /依頼を送りました/);
  const mine = page.locator('[data-testid=request-mine]', { hasText: '来期の担当' });
  assert.match(await mine.locator('[data-testid=request-status]').textContent(), /返事待ち/);
  await fitsPhone(page, 'request-employee');

  await signIn(page, server.base, 'manager');
  assert.match(await page.textContent('[data-testid=requests-waiting]'), /依頼が\d+件届いています/);
  // The email notice also waits in the app: the header counts it.
  assert.ok(Number(await page.textContent('[data-testid=notices-unread]')) >= 1);
  await shot(page, 'request-manager-home');
  await click(page, '[data-testid=requests-waiting] a');
  const request = page.locator('[data-testid=request-to-me]', { hasText: '来期の担当' });
  await shot(page, 'request-manager-answer');
  await fitsPhone(page, 'request-manager-answer');
  await click(page, request.locator('[data-testid=request-book]').nth(1));
  assert.match(await page.textContent('[data-testid=flash]'), /予定を登録しました/);
  assert.match(await page.textContent('[data-testid=dialogue-when]'), new RegExp(`${dateIn(10)} 10:30`));

  await signIn(page, server.base, 'employee');
  // The answer arrives as a notice too; opening it leads to the requests page.
  await click(page, '[data-testid=notices]');
  await shot(page, 'notices-employee');
  await fitsPhone(page, 'notices-employee');
  await click(page, page.locator('[data-testid=notice][data-unread=true] a', { hasText: '返事が届いています' }).first());
  assert.match(page.url(), /\/requests$/);
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=my-requests-answered] a');
  const answered = page.locator('[data-testid=request-mine]', { hasText: '来期の担当' });
  assert.match(await answered.locator('[data-testid=request-status]').textContent(), /登録済み/);
  await click(page, answered.locator('[data-testid=request-dialogue]'));
  assert.match(await page.textContent('[data-testid=dialogue-when]'), new RegExp(`${dateIn(10)} 10:30`));
  await page.close();
});

test('every role\'s home shows what to do next and the notices, on a desktop and a phone', async () => {
  const page = await context.newPage();
  const homes = [
    ['employee', '/my', ['my-pair-invitations', 'my-consent-to-confirm']],
    ['manager', '/members', ['requests-waiting', 'members-this-week', 'members-due']],
    ['consultant', '/clients', ['consultant-todo']],
    ['instructor', '/training', []],
    ['mentor', '/pairs', []],
    ['hr', '/programmes', ['hr-to-do']],
    ['admin', '/admin', ['admin-to-do']],
  ];
  for (const [role, home, todos] of homes) {
    await signIn(page, server.base, role);
    assert.equal(new URL(page.url()).pathname, home, `${role} lands on their home`);
    assert.equal(await page.locator('[data-testid=notices]').count(), 1, `${role}: the notices link`);
    for (const t of todos) assert.equal(await page.locator(`[data-testid=${t}]`).count(), 1, `${role}: ${t}`);
    await shot(page, `home-${role}`);
    await fitsPhone(page, `home-${role}`);
  }
  // The audit log reads as sentences, actors by name.
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/admin/audit`);
  assert.match(await page.locator('[data-testid=audit-sentence]').first().textContent(), /を行いました。/);
  await shot(page, 'admin-audit');
  await fitsPhone(page, 'admin-audit');
  // The manager's page of a member leads with the career side.
  await signIn(page, server.base, 'employee');
  const name = (await page.textContent('[data-testid=signed-in-as]')).split(/[:：]\s*/).pop().trim();
  await signIn(page, server.base, 'manager');
  await click(page, page.locator('table a', { hasText: name }).first());
  assert.equal(await page.locator('[data-testid=member-career]').count(), 1);
  assert.match(await page.textContent('[data-testid=member-cadence]'), /1on1/);
  await shot(page, 'member-page');
  await fitsPhone(page, 'member-page');
  await page.close();
});

test('HR assigns several people to consultants at once, spread by workload', async () => {
  const page = await context.newPage();
  // Two members of the sales line, by employee number, from the manager's list.
  await signIn(page, server.base, 'manager');
  const numbers = (await page.locator('[data-testid=member-number]').allTextContents()).map((t) => t.trim()).slice(-2);
  assert.equal(numbers.length, 2);
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/assignments`);
  await page.fill('[data-testid=assign-bulk-numbers]', `${numbers[0]}\nNOPE-9`);
  await click(page, '[data-testid=assign-bulk-submit]');
  assert.match(await page.textContent('[data-testid=assign-bulk-errors]'), /2件目「NOPE-9」/);
  assert.match(await page.inputValue('[data-testid=assign-bulk-numbers]'), /NOPE-9/);
  await shot(page, 'assignments-bulk-refused');
  await page.fill('[data-testid=assign-bulk-numbers]', numbers.join('\n'));
  await click(page, '[data-testid=assign-bulk-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /2名を割り当てました/);
  await fitsPhone(page, 'assignments-bulk');
  await page.close();
});
