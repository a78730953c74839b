// A consultant interview end to end (面談): the employee writes their career sheet with one
// section private; the consultant prepares, records consent with one withheld topic,
// writes one note of each visibility and closes the dialogue; the employee sees exactly
// the shared items; the manager and HR see none of the content; the next dialogue's
// preparation shows what carried over.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, shot, click, restartAt, dialogueStart, artifacts } from './support.mjs';

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

const PRIVATE = 'E2E非公開：転職サイトに登録している';
const SHARED = 'E2E共有：資格の勉強を週2回続けている';
const FOR_MANAGER = 'E2E上司可：新しい顧客の開拓に手応えを感じている';
const NEXT_TIME = 'E2E次回：応募書類の書き方を一緒に確認する';
const WITHHELD = 'E2E伏せる：家族の事情';
const SHEET_SHARED = 'E2Eビジョン：5年後に営業企画を率いている';
const SHEET_PRIVATE = 'E2E非公開の気がかり：親の介護';


test('a consultant interview from preparation to the next one, with each party seeing only their part', async () => {
  const page = await context.newPage();

  // The employee brings their career sheet up to date, keeping one section private.
  await signIn(page, server.base, 'employee');
  const employeeName = (await page.textContent('[data-testid=signed-in-as]')).split(/[:：]\s*/).pop().trim();
  await page.goto(`${server.base}/my/career-sheet`);
  await page.fill('[data-testid=sheet-vision]', SHEET_SHARED);
  await page.fill('[data-testid=sheet-concerns]', SHEET_PRIVATE);
  await page.check('[data-testid=sheet-concerns-private]');
  await click(page, '[data-testid=sheet-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /保存しました/);
  // ... and prepares a topic for the coming interview, from マイキャリア.
  await page.goto(`${server.base}/my`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=my-dialogue]', { hasText: 'キャリア面談' }).first().click(),
  ]);
  await page.fill('[data-testid=topic-body]', 'E2E話題：管理職を目指すべきか迷っている');
  await page.check('[data-testid=wanted-think_together]');
  await click(page, '[data-testid=topic-add]');
  assert.match(await page.textContent('[data-testid=my-preparation]'), /管理職を目指すべきか/);

  // The consultant opens the interview from their client list and prepares.
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/clients`);
  await shot(page, 'clients');
  const client = page.locator('[data-testid=client]', { hasText: employeeName });
  await Promise.all([page.waitForLoadState('load'), client.locator('[data-testid=client-next]').click()]);
  const prep = await page.textContent('[data-testid=preparation]');
  assert.match(prep, /5年後に営業企画を率いている/, 'the shared section of the sheet');
  assert.ok(!prep.includes('親の介護'), 'a private section is never shown');
  assert.match(prep, /管理職を目指すべきか/, "the employee's topic");
  assert.match(prep, /社内公募の募集要項/, 'the topic carried over from the last interview');
  assert.match(prep, /コーチング|ティーチング/);
  await shot(page, 'dialogue-preparation');
  let interview = page.url();

  // Consent, with one topic the employee asks to withhold from their manager.
  await page.check('[data-testid=consent-yes]');
  await page.fill('[data-testid=consent-withheld-input]', WITHHELD);
  await click(page, '[data-testid=consent-save]');
  assert.match(await page.textContent('[data-testid=consent-status]'), /同意しています/);
  assert.match(await page.textContent('[data-testid=consent-withheld]'), /家族の事情/);

  // One note of each visibility; one is a topic for next time.
  for (const [text, visibility, carry] of [
    [PRIVATE, 'private', 'none'],
    [SHARED, 'shared', 'none'],
    [FOR_MANAGER, 'for_manager', 'none'],
    [NEXT_TIME, 'shared', 'next_time'],
  ]) {
    await page.fill('[data-testid=note-body-input]', text);
    await page.check(`[data-testid=visibility-${visibility}]`);
    await page.selectOption('[data-testid=note-carry]', carry);
    await click(page, '[data-testid=note-add]');
    assert.match(await page.textContent('[data-testid=flash]'), /記録を追加しました/);
  }
  assert.equal(await page.locator('[data-testid=note]').count(), 4);
  await shot(page, 'dialogue-notes');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the dialogue page is ${overflow}px wider than a phone screen`);
  await shot(page, 'phone-dialogue');
  await page.setViewportSize({ width: 1280, height: 800 });
  // It is a week ahead: it cannot be confirmed as held yet, only cancelled.
  assert.equal(await page.locator('[data-testid=close-held]').count(), 0);
  assert.match(await page.textContent('[data-testid=close-not-started]'), /開始時刻/);
  // Time passes to the end of the interview (the same database, the clock moved on).
  const startsAt = await dialogueStart(page);
  const interviewPath = new URL(interview).pathname;
  server = await restartAt(server, new Date(startsAt.getTime() + 55 * 60_000));
  interview = `${server.base}${interviewPath}`;
  await signIn(page, server.base, 'consultant');
  await page.goto(interview);
  await page.click('[data-testid=close-held-open]');
  assert.match(await page.textContent('[data-testid=close-actions]'), /元に戻せません/);
  await page.locator('[data-testid=close-actions]').screenshot({ path: join(artifacts, 'dialogue-close-confirm.png') });
  await click(page, '[data-testid=close-held]');
  assert.match(await page.textContent('[data-testid=dialogue-state]'), /実施済み/);
  assert.equal(await page.locator('[data-testid=edit-note]').count(), 0, 'closed: no more edits');

  // The employee sees exactly the shared items, and can rate the interview.
  await signIn(page, server.base, 'employee');
  await page.goto(interview);
  const notes = await page.textContent('[data-testid=notes]');
  for (const t of [SHARED, FOR_MANAGER, NEXT_TIME]) assert.ok(notes.includes(t), t);
  assert.ok(!notes.includes(PRIVATE), 'a private note never reaches the employee');
  await page.check('[data-testid=rating-5]');
  await page.fill('[data-testid=reflection-body]', 'E2Eふりかえり：話して気持ちが整理できた');
  await click(page, '[data-testid=reflection-save]');
  await page.goto(`${server.base}/my/records`);
  const records = await page.textContent('main');
  assert.ok(records.includes(SHARED) && records.includes('話して気持ちが整理できた'));
  assert.ok(!records.includes(PRIVATE));
  await shot(page, 'my-records');

  // The manager learns that it happened, nothing of what was said.
  await signIn(page, server.base, 'manager');
  await page.goto(interview);
  const seen = await page.textContent('main');
  assert.match(seen, /ご本人と担当者だけが見られます/);
  for (const t of [PRIVATE, SHARED, FOR_MANAGER, NEXT_TIME, WITHHELD]) assert.ok(!seen.includes(t), t);
  await shot(page, 'dialogue-manager-view');

  // HR cannot open it at all.
  await signIn(page, server.base, 'hr');
  const response = await page.goto(interview);
  assert.equal(response.status(), 403);
  assert.ok(!(await page.textContent('main')).includes(SHARED));

  // The consultant books the next interview; its preparation shows what carried over.
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/clients`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=client]', { hasText: employeeName }).locator('[data-testid=client-book]').click(),
  ]);
  const subject = await page.locator('[data-testid=booking-subject] option[selected]').textContent();
  assert.ok(subject.trim().length > 0, 'the client is chosen');
  const in14 = new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10);
  await page.fill('[data-testid=booking-date]', in14);
  await page.fill('[data-testid=booking-time]', '15:00');
  await page.fill('[data-testid=booking-place]', 'オンライン');
  await shot(page, 'dialogue-booking');
  await click(page, '[data-testid=booking-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /登録しました/);
  const carried = await page.textContent('[data-testid=carried]');
  assert.match(carried, /応募書類の書き方を一緒に確認する/);
  assert.match(carried, /母の介護/, 'what the consultant noted to remember stays with them');
  assert.ok(!carried.includes('資格の勉強'), 'items not marked to carry over stay behind');
  await page.close();
});

test('a booking in the past is warned about and kept as typed until confirmed', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/dialogues/new`);
  await page.selectOption('[data-testid=booking-kind]', 'one_on_one');
  await page.selectOption('[data-testid=booking-subject]', { index: 1 });
  await page.fill('[data-testid=booking-date]', '2024-04-01');
  await page.fill('[data-testid=booking-place]', '第3会議室');
  await click(page, '[data-testid=booking-submit]');
  assert.match(await page.textContent('[data-testid=booking-warnings]'), /過去/);
  assert.equal(await page.inputValue('[data-testid=booking-place]'), '第3会議室');
  await shot(page, 'dialogue-booking-warning');
  await page.check('[data-testid=booking-confirm]');
  await click(page, '[data-testid=booking-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /登録しました/);
  await page.close();
});

// The dialogue page is one form of sections: saving or refusing one section must not lose
// what was typed in another — with htmx (only the section is swapped) and without
// JavaScript (the page comes back with the other sections as typed).
const HALF_WRITTEN = 'E2E書きかけ：異動の希望は来年度に改めて話す';
const WITHHELD_DRAFT = 'E2E書きかけ：健康のこと';

test('text typed in one section survives saving or refusing another, with and without JavaScript', async () => {
  for (const javaScript of [true, false]) {
    const ctx = javaScript ? context : await launchBrowser({ javaScript: false });
    const page = await ctx.newPage();
    // Without JavaScript every button is a plain form submission: wait for the next page.
    const press = (selector) => (javaScript
      ? click(page, selector)
      : Promise.all([page.waitForEvent('load'), page.click(selector)]));
    await signIn(page, server.base, 'consultant');
    await page.goto(`${server.base}/dialogues`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.locator('[data-testid=upcoming] tr', { hasText: 'キャリア面談' }).first().locator('a').click(),
    ]);
    // A consultant half-way through a note records the employee's consent.
    await page.fill('[data-testid=note-body-input]', HALF_WRITTEN);
    await page.check('[data-testid=consent-yes]');
    await press('[data-testid=consent-save]');
    assert.match(await page.textContent('[data-testid=consent-status]'), /同意しています/, `consent saved (JavaScript: ${javaScript})`);
    assert.equal(await page.inputValue('[data-testid=note-body-input]'), HALF_WRITTEN, `the note survived (JavaScript: ${javaScript})`);
    // A refused section keeps the others too: an empty note is refused, the withheld
    // topic being typed for consent stays.
    await page.fill('[data-testid=note-body-input]', '');
    await page.fill('[data-testid=consent-withheld-input]', WITHHELD_DRAFT);
    await press('[data-testid=note-add]');
    assert.ok(await page.isVisible('[data-testid=note-error]'), `the empty note is refused (JavaScript: ${javaScript})`);
    assert.equal(await page.inputValue('[data-testid=consent-withheld-input]'), WITHHELD_DRAFT);
    await shot(page, javaScript ? 'dialogue-sections' : 'dialogue-sections-no-js');
    // Enter in a one-line field saves nothing and keeps everything.
    if (!javaScript) {
      await page.fill('[data-testid=note-body-input]', HALF_WRITTEN);
      await Promise.all([page.waitForEvent('load'), page.press('[data-testid=worksheet-text]', 'Enter')]);
      assert.match(await page.textContent('[data-testid=flash]'), /まだ何も保存していません/);
      assert.equal(await page.inputValue('[data-testid=note-body-input]'), HALF_WRITTEN);
      assert.equal(await page.inputValue('[data-testid=consent-withheld-input]'), WITHHELD_DRAFT);
    }
    await page.close();
    if (!javaScript) await ctx.close();
  }
});
