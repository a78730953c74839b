// A milestone interview (節目面談) that must end in a commitment: the first commitment
// fails the live checks and the session cannot close as committed, so the next session is
// booked; there a passing commitment, confirmed by the employee, closes it as committed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startSmtpSink, eventually, launchBrowser, signIn, shot, artifacts, click, restartAt, dialogueStart, closeHeld, dateIn } from './support.mjs';

let server;
let context;
// The session that ended committed (first test), for the follow-up test.
let committedSession;

before(async () => {
  server = await startServer();
  context = await launchBrowser();
});

after(async () => {
  await context?.close();
  await server?.stop();
});


test('a milestone interview closes as committed only once a confirmed commitment passes both checks', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=upcoming] tr', { hasText: '節目面談' }).first().locator('a').click(),
  ]);
  let first = page.url();
  assert.match(await page.textContent('[data-testid=milestone-number]'), /2回目/);
  // Two weeks ahead: it cannot be confirmed yet. Time passes to half an hour into it.
  assert.equal(await page.locator('[data-testid=close-held]').count(), 0);
  const startsAt = await dialogueStart(page);
  server = await restartAt(server, new Date(startsAt.getTime() + 30 * 60_000));
  first = `${server.base}${new URL(first).pathname}`;
  await signIn(page, server.base, 'consultant');
  await page.goto(first);

  // The live check explains why a vague commitment does not count, while typing.
  await page.fill('[data-testid=commitment-action-input]', '後輩から頼られる存在になります');
  await page.waitForSelector('[data-testid=check-objective][data-ok=false]');
  assert.match(await page.textContent('[data-testid=check-reasons]'), /状態/);
  assert.match(await page.textContent('[data-testid=check-suggestion]'), /後輩から頼られる/);
  await shot(page, 'commitment-live-check-failing');
  await page.fill('[data-testid=commitment-starts-on]', dateIn(25));
  await click(page, '[data-testid=commitment-add]');
  assert.match(await page.textContent('[data-testid=flash]'), /記録しました/);

  // It cannot close as committed; the page asks for the next session.
  await closeHeld(page);
  assert.match(await page.textContent('[data-testid=flash]'), /次の節目面談を登録/);
  assert.match(await page.textContent('[data-testid=dialogue-state]'), /予定/);
  await click(page, '[data-testid=book-next-session]');
  assert.equal(await page.inputValue('[data-testid=booking-kind]'), 'milestone_interview');
  // The same afternoon (the first session ended at 11:00).
  const sameDay = new Date(startsAt.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
  await page.fill('[data-testid=booking-date]', sameDay);
  await page.fill('[data-testid=booking-time]', '15:00');
  await click(page, '[data-testid=booking-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /登録しました/);
  let second = page.url();
  // With the next session booked, the first one closes and the interviews go on.
  await page.goto(first);
  await closeHeld(page);
  assert.match(await page.textContent('[data-testid=outcome]'), /継続/);

  // The second session, that afternoon: a commitment that passes both checks.
  const secondStart = new Date(`${sameDay}T15:00:00+09:00`);
  server = await restartAt(server, new Date(secondStart.getTime() + 40 * 60_000));
  second = `${server.base}${new URL(second).pathname}`;
  committedSession = second;
  await signIn(page, server.base, 'consultant');
  await page.goto(second);
  assert.match(await page.textContent('[data-testid=milestone-number]'), /3回目/);
  await page.fill('[data-testid=commitment-action-input]', '来月から、毎週金曜の夕方に30分、後輩の相談を受ける時間をつくります');
  await page.waitForSelector('[data-testid=check-objective][data-ok=true]');
  await page.waitForSelector('[data-testid=check-start][data-ok=true]');
  await shot(page, 'commitment-live-check-passing');
  await page.fill('[data-testid=commitment-starts-on]', dateIn(20));
  await page.fill('[data-testid=commitment-first-step]', '後輩に時間をつくることを朝会で伝える');
  await page.fill('[data-testid=commitment-evidence]', '相談の記録をチームの共有フォルダに残す');
  await click(page, '[data-testid=commitment-add]');
  // Not yet: the employee has not confirmed it in their own words.
  await closeHeld(page);
  assert.match(await page.textContent('[data-testid=flash]'), /次の節目面談を登録/);

  // The employee is asked on マイキャリア and confirms.
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await Promise.all([page.waitForLoadState('load'), page.locator('[data-testid=to-confirm] a').first().click()]);
  await page.goto(second);
  const mine = page.locator('[data-testid=commitment]', { hasText: '後輩の相談を受ける時間' });
  assert.equal(await mine.locator('[data-testid=commitment-unconfirmed]').count(), 1);
  await shot(page, 'commitment-employee-confirms');
  await click(page, mine.locator('[data-testid=commitment-confirm]'));
  assert.match(await page.textContent('[data-testid=flash]'), /確認しました/);

  // Now it closes as committed.
  await signIn(page, server.base, 'consultant');
  await page.goto(second);
  await closeHeld(page);
  assert.match(await page.textContent('[data-testid=outcome]'), /コミット済み/);
  await shot(page, 'commitment-committed');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone screen`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.close();
  // Back to today for the tests that follow.
  await server.stop();
  server = await startServer({ dir: server.dir });
});

test('once a confirmed commitment has started, the employee is asked 「始めましたか？」 and answers', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=upcoming] tr', { hasText: 'キャリア面談' }).first().locator('a').click(),
  ]);
  const interview = page.url();
  await page.fill('[data-testid=commitment-action-input]', '先週から、毎朝15分、業界ニュースを読んでいます');
  await page.fill('[data-testid=commitment-starts-on]', dateIn(-10));
  await click(page, '[data-testid=commitment-add]');
  // A start in the past is warned about and kept as typed until confirmed.
  assert.match(await page.textContent('[data-testid=commitment-past]'), /過去/);
  await page.check('[data-testid=commitment-confirm-past]');
  await click(page, '[data-testid=commitment-add]');
  assert.match(await page.textContent('[data-testid=flash]'), /記録しました/);

  await signIn(page, server.base, 'employee');
  await page.goto(interview);
  const mine = page.locator('[data-testid=commitment]', { hasText: '業界ニュース' });
  await click(page, mine.locator('[data-testid=commitment-confirm]'));
  await page.goto(`${server.base}/my`);
  assert.match(await page.textContent('[data-testid=my-check-in]'), /始めましたか？/);
  await shot(page, 'my-check-in');
  await Promise.all([page.waitForLoadState('load'), page.locator('[data-testid=my-check-in] a').first().click()]);
  const item = page.locator('[data-testid=commitment]', { hasText: '業界ニュース' });
  await item.locator('[data-testid=commitment-status]').selectOption('started');
  await click(page, item.locator('[data-testid=commitment-status-save]'));
  assert.match(await page.textContent('[data-testid=flash]'), /始めた/);
  await page.goto(`${server.base}/my`);
  assert.equal(await page.locator('[data-testid=my-check-in]').count(), 0);
  await page.close();
});

test('the employee weighs merits and demerits; the consultant sees which condition is missing', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=upcoming] tr', { hasText: 'キャリア面談' }).first().locator('a').click(),
  ]);
  const interview = page.url();
  assert.equal(await page.locator('[data-testid=condition][data-ok=false]').count(), 1);
  await page.selectOption('[data-testid=worksheet-side]', 'merit');
  await page.selectOption('[data-testid=worksheet-weight]', '4');
  await page.fill('[data-testid=worksheet-text]', '後輩の育成に関われる');
  await click(page, '[data-testid=worksheet-add]');
  await signIn(page, server.base, 'employee');
  await page.goto(interview);
  await page.selectOption('[data-testid=worksheet-side]', 'demerit');
  await page.selectOption('[data-testid=worksheet-weight]', '2');
  await page.fill('[data-testid=worksheet-text]', '自分の営業目標が後回しになる');
  await click(page, '[data-testid=worksheet-add]');
  assert.match(await page.textContent('[data-testid=worksheet-balance]'), /メリットが2上回っています/);
  await signIn(page, server.base, 'consultant');
  await page.goto(interview);
  assert.equal(await page.locator('[data-testid=condition][data-ok=false]').count(), 0);
  await page.locator('[data-testid=worksheet]').screenshot({ path: join(artifacts, 'worksheet.png') });
  await page.close();
});

test('on the start date plus the grace period the follow-up appears on マイキャリア and arrives by email', async () => {
  // The committed commitment of the first test starts in 20 days; the grace period is
  // 3 days. Restart the same database with the clock moved to that morning (time is
  // injectable: configuration `now`) and a real SMTP server for the outbox.
  const smtp = await startSmtpSink();
  const start = dateIn(20);
  await server.stop();
  server = await startServer({
    dir: server.dir,
    env: {
      KYORITSU_NOW: `${dateIn(23)}T09:00:00+09:00`,
      KYORITSU_SMTP_URL: smtp.url,
      KYORITSU_WORKER_INTERVAL_SECONDS: '1',
    },
  });
  try {
    const page = await context.newPage();
    await signIn(page, server.base, 'employee');
    await page.goto(`${server.base}/my`);
    const task = page.locator('[data-testid=my-check-in]', { hasText: '後輩の相談を受ける時間' });
    assert.equal(await task.count(), 1, 'the follow-up task is on マイキャリア');
    assert.match(await task.textContent(), /始めましたか？/);
    await shot(page, 'follow-up-on-start-date');
    const mail = await eventually(
      () => smtp.messages().find((m) => m.to.includes('employee@demo.example.jp') && m.body.includes(`${start}から始めると決めた`)),
      30_000,
      'the follow-up email to the employee',
    );
    assert.match(mail.subject, /^始めましたか？/);
    assert.ok(!mail.body.includes('後輩の相談を受ける時間'), 'an email never carries the commitment itself');
    await eventually(
      () => smtp.messages().find((m) => m.to.includes('consultant@demo.example.jp') && m.body.includes(`${start}から始めると決めた`)),
      30_000,
      'the follow-up email to the consultant',
    );
    // The consultant sees it on the interview too.
    await signIn(page, server.base, 'consultant');
    await page.goto(committedSession.replace(/^http:\/\/[^/]+/, server.base));
    assert.match(await page.locator('main').textContent(), /始めましたか？/);
    await page.close();
  } finally {
    smtp.stop();
  }
});
