// The question bank (質問集): an admin adds a question of the company's own; a manager
// finds it among the built-in person-focused questions, also on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, shot } from './support.mjs';

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

test('an admin adds a question and a manager finds it in the bank', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/questions`);
  await page.selectOption('[data-testid=question-category]', 'admired_people');
  await page.fill('[data-testid=question-ja]', '社内で「この人の仕事ぶりを真似したい」と思う人は誰ですか。');
  await page.fill('[data-testid=question-en]', 'Whose way of working in the company would you like to copy?');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=question-add]')]);
  assert.match(await page.textContent('[data-testid=flash]'), /質問を追加しました/);

  await signIn(page, server.base, 'manager');
  await page.click('nav >> text=質問集');
  assert.match(await page.textContent('[data-testid=page-title]'), /質問集/);
  const group = page.locator('#admired_people');
  assert.match(await group.textContent(), /この人の仕事ぶりを真似したい/);
  assert.match(await group.textContent(), /自社の質問/);
  await shot(page, 'question-bank');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the bank is ${overflow}px wider than a phone screen`);
  await shot(page, 'phone-question-bank');
  await page.close();
});
