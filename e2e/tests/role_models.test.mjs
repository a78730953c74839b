// Role models (ロールモデル): a consultant writes a colleague's story; nobody else sees it
// until the colleague agrees on マイキャリア; then anyone finds it by keyword and outcome,
// named only if the colleague agreed. The facilitator is offered tried-and-failed stories.
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


test('a story is published only with its colleague\'s consent, then found by keyword and outcome', async () => {
  const page = await context.newPage();
  // The demo employee's employee number, from their own profile.
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  const number = (await page.textContent('[data-testid=employee-number]')).trim();
  const name = (await page.textContent('[data-testid=signed-in-as]')).split(/[:：]\s*/).pop().trim();

  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/role-models`);
  await click(page, '[data-testid=story-new]');
  await page.fill('[data-testid=story-person]', number);
  await page.fill('[data-testid=story-body-input]', '昇格試験に落ちた年に、課内で勉強会を始めました。いまでは新人研修の一部になっています。');
  await page.check('[data-testid=story-outcome-failed_but_gained]');
  await click(page, '[data-testid=story-save]');
  // Missing title and theme: told, and what was typed is still there.
  assert.match(await page.textContent('[data-testid=story-errors]'), /タイトルを入力してください/);
  assert.match(await page.inputValue('[data-testid=story-body-input]'), /昇格試験に落ちた年に/);
  await page.fill('[data-testid=story-title]', '昇格試験に落ちた年に始めた勉強会');
  await page.check('[data-testid=story-theme-reskilling]');
  await page.selectOption('[data-testid=story-anchor]', 'service');
  await shot(page, 'role-model-write');
  await click(page, '[data-testid=story-save]');
  assert.match(await page.textContent('[data-testid=story-consent]'), /本人の確認待ち/);
  const story = page.url();

  // The manager does not see it yet.
  await signIn(page, server.base, 'manager');
  const hidden = await page.goto(story);
  assert.equal(hidden.status(), 404);

  // The colleague is asked on マイキャリア and agrees, without their name.
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=stories-to-answer] a', { hasText: '昇格試験に落ちた年に' }).click(),
  ]);
  await shot(page, 'role-model-consent');
  await click(page, '[data-testid=story-consent-give]');
  assert.match(await page.textContent('[data-testid=flash]'), /同意しました/);

  // Now anyone finds it, by keyword and by outcome, without the name.
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/role-models`);
  await page.fill('[data-testid=story-q]', '勉強会');
  await page.selectOption('[data-testid=story-outcome-filter]', 'failed_but_gained');
  await click(page, '[data-testid=story-search]');
  const found = page.locator('[data-testid=story]', { hasText: '昇格試験に落ちた年に' });
  assert.equal(await found.count(), 1);
  assert.ok(!(await found.textContent()).includes(name), 'published without the name');
  await shot(page, 'role-models-search');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone screen`);
  await shot(page, 'role-models-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  // The consultant preparing an interview is offered tried-and-failed stories first.
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=upcoming] tr', { hasText: 'キャリア面談' }).first().locator('a').click(),
  ]);
  const offered = page.locator('[data-testid=suggested-role-models] li').first();
  assert.match(await offered.textContent(), /うまくいかなかったが、得たものがあった/);
  await page.close();
});
