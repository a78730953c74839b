// ペア: cross-department and mentor 1on1s happen only between the partners of a pair.
// A colleague's invitation waits on the employee, who accepts and chooses which sections
// of their career sheet the partner sees; only then can the partner book, and they
// prepare with those sections alone. The external mentor lands on their mentees and sees
// nothing else. The employee invites a colleague, who declines; HR sees every pair.
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

test('an invitation accepted with chosen sections opens booking, and the partner sees only those', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/pairs`);
  const invitation = page.locator('[data-testid=pair-invitation]').first();
  assert.match(await invitation.textContent(), /営業の現場で大切にしていること/);
  await shot(page, 'pairs-employee-invitation');
  await fitsPhone(page, 'pairs-employee-invitation');
  await invitation.locator('[data-testid=pair-section-successes]').check();
  await click(page, invitation.locator('[data-testid=pair-accept]'));
  assert.match(await page.textContent('[data-testid=flash]'), /ペアが成立しました/);
  const accepted = page.locator('[data-testid=pair][data-status=active]', { hasText: '部署を越えた1on1' });
  assert.ok(await accepted.locator('[data-testid=pair-section-successes]').isChecked());

  // The colleague books from the pair and prepares with the chosen section only.
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/pairs`);
  const mine = page.locator('[data-testid=pair][data-status=active]').first();
  assert.match(await mine.locator('[data-testid=pair-shared]').textContent(), /これまでの成功体験/);
  await click(page, mine.locator('[data-testid=pair-book]'));
  assert.equal(await page.inputValue('[data-testid=booking-kind]'), 'cross_one_on_one');
  await page.fill('[data-testid=booking-date]', '2031-06-02');
  await click(page, '[data-testid=booking-submit]');
  const sheet = await page.textContent('[data-testid=shared-sheet]');
  assert.match(sheet, /失注続きの顧客/);
  assert.doesNotMatch(sheet, /法人営業部で中小企業向けの提案営業|社内表彰の候補/);
  await shot(page, 'pairs-partner-preparation');
});

test('the external mentor lands on their mentees and sees nothing else', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'mentor');
  assert.match(page.url(), /\/pairs$/);
  const nav = await page.textContent('nav');
  assert.doesNotMatch(nav, /マイキャリア|ロールモデル|社員名簿/);
  const mentee = page.locator('[data-testid=pair][data-status=active]').first();
  assert.match(await mentee.textContent(), /社外メンター/);
  assert.equal(await page.locator('[data-testid=pair-invite]').count(), 0, 'a mentor does not invite');
  await shot(page, 'pairs-mentor-home');
  await fitsPhone(page, 'pairs-mentor-home');
  const people = await page.goto(`${server.base}/people`);
  assert.equal(people.status(), 403);
});

test('an employee invites a colleague, mistakes are explained, and the colleague declines', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/my`);
  const hrNumber = (await page.textContent('[data-testid=employee-number]')).trim();

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/pairs`);
  await page.fill('[data-testid=invite-number]', 'NOPE-0000');
  await page.fill('[data-testid=invite-message]', '新しい分野のお話を伺いたいです。');
  await click(page, '[data-testid=invite-send]');
  assert.match(await page.textContent('[data-testid=pair-error]'), /在籍者が見つかりません/);
  assert.equal(await page.inputValue('[data-testid=invite-message]'), '新しい分野のお話を伺いたいです。');
  await page.fill('[data-testid=invite-number]', hrNumber);
  await click(page, '[data-testid=invite-send]');
  assert.match(await page.textContent('[data-testid=flash]'), /招待を送りました/);
  assert.match(await page.locator('[data-testid=pair]', { hasText: '相手のお返事待ち' }).first().textContent(), /新しい分野/);

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/pairs`);
  const waiting = page.locator('[data-testid=pair-invitation]').first();
  assert.match(await waiting.textContent(), /新しい分野のお話を伺いたいです/);
  assert.ok((await page.locator('[data-testid=pairs-all] [data-testid=pair-row]').count()) >= 2, 'HR sees every pair');
  await shot(page, 'pairs-hr');
  await fitsPhone(page, 'pairs-hr');
  await click(page, waiting.locator('[data-testid=pair-decline]'));
  assert.match(await page.textContent('[data-testid=flash]'), /お断りしました/);
});

test('HR pairs a cross-1on1 programme across departments: a preview first, then the pairs and the notices', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  // The home says the programme's participants have no pair yet.
  const item = page.locator('[data-testid=hr-to-do-item]', { hasText: '部署を越えた1on1' }).first();
  assert.match(await item.locator('[data-testid=hr-to-do-unpaired]').textContent(), /ペアがまだない参加者が\d+人/);
  await click(page, item.locator('a').first());
  assert.match(await page.textContent('[data-testid=cross-summary]'), /成立しているペア 0組/);
  await page.check('[data-testid=cross-by-anchor]');
  await click(page, '[data-testid=cross-preview]');
  const planned = await page.locator('[data-testid=cross-plan-pair]').count();
  assert.ok(planned >= 2, `${planned} pairs proposed`);
  assert.match(await page.textContent('[data-testid=cross-left-out]'), /アカウントがない/);
  assert.ok(await page.isChecked('[data-testid=cross-by-anchor]'), 'the choice is kept');
  await shot(page, 'cross-plan');
  await fitsPhone(page, 'cross-plan');
  const confirm = await page.textContent('[data-testid=cross-confirm]');
  const n = Number(confirm.match(/(\d+)組/)[1]);
  await click(page, '[data-testid=cross-confirm]');
  assert.match(await page.textContent('[data-testid=flash]'), new RegExp(`${n}組のペアを組みました`));
  assert.equal(await page.locator('[data-testid=cross-pair]').count(), n);
  assert.match(await page.textContent('[data-testid=cross-summary]'), new RegExp(`成立しているペア ${n}組`));
  await shot(page, 'cross-pairs-made');
  // Everyone planned is paired now: a new preview proposes nobody already paired.
  await click(page, '[data-testid=cross-preview]');
  assert.match(await page.textContent('[data-testid=cross-plan]'), /すでにこのプログラムでペアになっている/);
  await page.close();
});
