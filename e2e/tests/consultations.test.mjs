// Choosing one's own consultant (相談相手を選ぶ): the demo employee takes the values
// diagnosis, sees ten proposals each with its reasons, searches 介護 and finds a
// consultant by the kana of their name, books one of their open slots; the consultant
// sees the booking among their slots and holds the session; the employee rates it; HR
// sees counts and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startSmtpSink, eventually, launchBrowser, signIn, shot, click, fitsPhone, restartAt, dialogueStart, closeHeld, artifacts } from './support.mjs';

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

const hiragana = (s) => s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

test('the employee chooses, books, and rates a consultant; HR sees counts only', async () => {
  const page = await context.newPage();
  // The demo consultant's reading, as they wrote it on their profile.
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/consultant/profile`);
  const kana = await page.inputValue('input[name=kana]');
  const surname = kana.split(/[ 　]/)[0];

  await signIn(page, server.base, 'employee');
  const employeeName = (await page.textContent('[data-testid=signed-in-as]')).replace(/さん.*$|でログイン中.*$/, '').trim();
  await click(page, 'nav a[href="/my/consultants"]');
  assert.match(await page.textContent('[data-testid=choose-privacy]'), /会社（上司・人事）には伝わりません/);
  // The diagnosis: redone with one theme; it leads back to the proposals.
  await click(page, '[data-testid=redo-diagnosis]');
  await page.check('[data-testid=diagnosis-theme-care_and_work]');
  await page.uncheck('[data-testid=diagnosis-theme-middle_senior]');
  await page.check('[data-testid=diagnosis-theme-transfer]');
  await page.check('[data-testid=diagnosis-setting-in_person]');
  await click(page, '[data-testid=diagnosis-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /保存しました/);
  const proposals = page.locator('[data-testid=proposal]');
  assert.equal(await proposals.count(), 10, 'ten proposals');
  for (let i = 0; i < 10; i += 1) {
    assert.ok(await proposals.nth(i).locator('[data-testid=proposal-reason]').count() >= 1, `proposal ${i + 1} says why`);
  }
  assert.match(await proposals.first().textContent(), /あなたが話したいテーマ『(育児・介護との両立|異動)』/);
  await shot(page, 'choose-consultant');
  await fitsPhone(page, 'choose-consultant');

  // A keyword search: 介護, then the consultant's surname in hiragana.
  await page.fill('[data-testid=search-q]', '介護');
  await click(page, '[data-testid=search-submit]');
  assert.ok(await page.locator('[data-testid=search-hit]').count() >= 1, '介護 finds consultants');
  await page.fill('[data-testid=search-q]', hiragana(surname));
  await click(page, '[data-testid=search-submit]');
  const hit = page.locator('[data-testid=search-hit]', { hasText: kana });
  assert.equal(await hit.count(), 1, `the kana ${hiragana(surname)} finds ${kana}`);
  await shot(page, 'choose-consultant-search');
  await click(page, hit.locator('a'));

  // The profile with its free slots: booking asks first and says what it does.
  const slot = page.locator('[data-testid=free-slot]').first();
  const when = (await slot.locator('strong').textContent()).trim();
  await slot.locator('[data-testid=book-open]').click();
  assert.match(await slot.textContent(), /会社には伝わりません/);
  await shot(page, 'consultant-profile-slots');
  await click(page, slot.locator('[data-testid=book-confirm]'));
  assert.match(await page.textContent('[data-testid=flash]'), /予約しました/);
  assert.match(await page.textContent('[data-testid=dialogue-when]'), new RegExp(when));
  const sessionPath = new URL(page.url()).pathname;
  const startsAt = await dialogueStart(page);

  // The consultant sees it booked among their open slots.
  await signIn(page, server.base, 'consultant');
  await click(page, 'nav a[href="/consultant/slots"]');
  assert.ok(await page.locator(`[data-testid=slot-booked][href="${sessionPath}"]`).count() === 1);
  await shot(page, 'consultant-slots');
  await fitsPhone(page, 'consultant-slots');

  // After it began, the consultant confirms it was held; the employee rates it.
  server = await restartAt(server, new Date(startsAt.getTime() + 55 * 60_000));
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}${sessionPath}`);
  await closeHeld(page);
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my/consultants`);
  const waiting = await page.locator('[data-testid=rate-form]').count();
  const rate = page.locator('[data-testid=rate-form]').first();
  await rate.locator('[data-testid=rate-5]').check();
  await rate.locator('[data-testid=rate-again]').check();
  await shot(page, 'choose-consultant-rate');
  await click(page, rate.locator('[data-testid=rate-submit]'));
  assert.match(await page.textContent('[data-testid=flash]'), /評価を送りました/);
  assert.equal(await page.locator('[data-testid=rate-form]').count(), waiting - 1, 'rated once');

  // Changing consultant: a confirmation that says no reason is asked; then done.
  const mine = page.locator('[data-testid=my-consultant]').first();
  await mine.locator('[data-testid=change-open]').click();
  assert.match(await mine.textContent(), /理由を聞かれることはありません/);
  await click(page, mine.locator('[data-testid=change-confirm]'));
  assert.match(await page.textContent('[data-testid=flash]'), /相談相手を変えました/);
  assert.equal(await page.locator('[data-testid=my-consultant]').count(), 0);

  // HR: counts and rates, never who.
  await signIn(page, server.base, 'hr');
  await click(page, 'nav a[href="/consultants"]');
  const usage = page.locator('[data-testid=consultation-usage]');
  assert.match(await usage.locator('[data-testid=usage-people]').textContent(), /\d+人/);
  assert.match(await usage.locator('[data-testid=usage-mean-rating]').textContent(), /\d\.\d/);
  const body = await page.textContent('main');
  assert.ok(employeeName.length >= 2 && !body.includes(employeeName), `HR sees no employee name (${employeeName})`);
  await usage.screenshot({ path: join(artifacts, 'consultation-usage.png') });
  await page.close();
});

test('HR invites a consultant, who sets a password from the e-mail and offers open slots', async () => {
  const smtp = await startSmtpSink();
  await server.stop();
  server = await startServer({ dir: server.dir, env: { KYORITSU_SMTP_URL: smtp.url, KYORITSU_WORKER_INTERVAL_SECONDS: '1' } });
  try {
    const page = await context.newPage();
    await signIn(page, server.base, 'hr');
    await page.goto(`${server.base}/consultants`);
    await page.fill('[data-testid=invite-email]', 'mori@partners.example.jp');
    await page.fill('[data-testid=invite-name]', '森 花子');
    await click(page, '[data-testid=invite-send]');
    assert.match(await page.textContent('[data-testid=flash]'), /招待メールを送りました/);
    const mail = await eventually(
      () => smtp.messages().find((m) => m.to.includes('mori@partners.example.jp')),
      30_000,
      'the invitation e-mail',
    );
    const path = mail.body.match(/\/invitations\/[A-Za-z0-9_-]+/)[0];

    // The link: the rule is stated; a short password is refused and nothing is set.
    await page.context().clearCookies();
    await page.goto(`${server.base}${path}`);
    assert.match(await page.textContent('main'), /12文字以上/);
    await page.fill('[data-testid=invitation-password]', 'みじかい');
    await page.fill('[data-testid=invitation-password-again]', 'みじかい');
    await page.evaluate(() => document.querySelector('[data-testid=invitation-password]').removeAttribute('minlength'));
    await click(page, '[data-testid=invitation-submit]');
    assert.match(await page.textContent('[data-testid=invitation-error]'), /12文字以上/);
    await shot(page, 'invitation-error');
    await fitsPhone(page, 'invitation');
    const password = '相談の準備ができました。';
    await page.fill('[data-testid=invitation-password]', password);
    await page.fill('[data-testid=invitation-password-again]', password);
    await click(page, '[data-testid=invitation-submit]');
    assert.match(await page.textContent('[data-testid=flash]'), /パスワードを設定しました/);
    await page.fill('input[name=email]', 'mori@partners.example.jp');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);

    // Open slots: two weeks of one slot; the same again overlaps and adds nothing.
    await click(page, 'nav a[href="/consultant/slots"]');
    const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const add = async () => {
      await page.fill('[data-testid=slot-date]', day);
      await page.fill('[data-testid=slot-time]', '14:00');
      await page.fill('[data-testid=slot-weeks]', '2');
      await click(page, '[data-testid=slot-add]');
    };
    await add();
    assert.match(await page.textContent('[data-testid=flash]'), /2件追加しました/);
    assert.equal(await page.locator('[data-testid=slot-row]').count(), 2);
    await add();
    assert.match(await page.textContent('[data-testid=slot-overlap]'), /重なっています/);
    assert.equal(await page.inputValue('[data-testid=slot-date]'), day, 'the form keeps what was typed');
    assert.equal(await page.locator('[data-testid=slot-row]').count(), 2, 'nothing added');
    await click(page, page.locator('[data-testid=slot-remove]').first());
    assert.equal(await page.locator('[data-testid=slot-row]').count(), 1);
    await shot(page, 'consultant-slots-own');
    await page.close();
  } finally {
    smtp.stop();
  }
});
