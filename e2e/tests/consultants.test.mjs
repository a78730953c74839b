// Consultants as people of their own: the consultant keeps the profile employees will
// choose from (a wrong registration number is explained and nothing typed is lost); HR
// sees every consultant with their profile, suspends one after a confirmation naming the
// effect, and restores them.
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

test('a consultant keeps their profile; a wrong registration number is explained and the form kept', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'consultant');
  await click(page, 'nav a[href="/consultant/profile"]');
  assert.equal(await page.inputValue('[data-testid=profile-registration]'), '16012345');
  await page.fill('[data-testid=profile-registration]', '1601234');
  await page.check('[data-testid=profile-theme-relearning]');
  await page.fill('[data-testid=profile-message]', '学び直しや、育児・介護と仕事の両立のご相談も歓迎します。');
  await click(page, '[data-testid=profile-save]');
  assert.match(await page.textContent('[data-testid=error-registration_number]'), /8桁の数字/);
  assert.equal(await page.inputValue('[data-testid=profile-registration]'), '1601234');
  assert.match(await page.inputValue('[data-testid=profile-message]'), /学び直し/);
  assert.ok(await page.isChecked('[data-testid=profile-theme-relearning]'), 'the theme ticked stays ticked');
  await shot(page, 'consultant-profile-error');
  await page.fill('[data-testid=profile-registration]', '第１６０１２３４５号');
  await click(page, '[data-testid=profile-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /保存しました/);
  assert.equal(await page.inputValue('[data-testid=profile-registration]'), '16012345');
  await shot(page, 'consultant-profile');
  // A photo: a file that is not an image is refused by its content; a PNG is shown.
  await page.setInputFiles('[data-testid=photo-file]', { name: 'me.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload="alert(1)"/>') });
  await click(page, '[data-testid=photo-upload]');
  assert.match(await page.textContent('[data-testid=flash]'), /PNG・JPEG・WebPの画像だけ/);
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('[data-testid=photo-file]', { name: 'me.png', mimeType: 'image/png', buffer: png });
  await click(page, '[data-testid=photo-upload]');
  assert.match(await page.textContent('[data-testid=flash]'), /写真を登録しました/);
  assert.ok(await page.isVisible('[data-testid=profile-photo-img]'));
  await fitsPhone(page, 'consultant-profile');
  await page.close();
});

test('HR sees the consultants and suspends one after a confirmation, then restores them', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  await click(page, 'nav a[href="/consultants"]');
  const row = page.locator('[data-testid=consultant-row]', { hasText: 'consultant@demo.example.jp' });
  assert.match(await row.textContent(), /16012345/);
  assert.match(await page.textContent('[data-testid=consultants-without-profile]'), /プロフィールをまだ書いていない/);
  await shot(page, 'consultants-list');
  await fitsPhone(page, 'consultants-list');
  await row.locator('[data-testid=consultant-suspend-open]').click();
  assert.match(await row.textContent(), /ログインできなくなり/);
  await click(page, row.locator('[data-testid=consultant-suspend]'));
  assert.match(await page.textContent('[data-testid=flash]'), /停止しました/);
  const suspended = page.locator('[data-testid=consultant-row]', { hasText: 'consultant@demo.example.jp' });
  assert.equal(await suspended.locator('[data-testid=consultant-suspended]').count(), 1);
  await click(page, suspended.locator('[data-testid=consultant-restore]'));
  assert.match(await page.textContent('[data-testid=flash]'), /再開しました/);
  await page.close();
});

test('the employee opens their consultant\'s profile from the interview page', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, page.locator('[data-testid=my-dialogue]', { hasText: 'キャリア面談' }).first());
  await click(page, '[data-testid=facilitator-profile]');
  assert.match(await page.textContent('[data-testid=consultant-themes]'), /育児・介護との両立/);
  assert.match(await page.textContent('main'), /守秘義務/);
  await shot(page, 'consultant-profile-employee');
  await fitsPhone(page, 'consultant-profile-employee');
  await page.close();
});

test('the employee redoes the values diagnosis from マイキャリア and reads a consultant who knows the themes', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=open-diagnosis]');
  assert.ok(await page.isChecked('[data-testid=diagnosis-theme-care_and_work]'), 'the last diagnosis is there');
  for (const t of ['transfer', 'relearning']) await page.check(`[data-testid=diagnosis-theme-${t}]`);
  await page.fill('[data-testid=diagnosis-own-words]', '介護と異動の両立について、まず話を聞いてほしい。');
  await click(page, '[data-testid=diagnosis-save]');
  assert.match(await page.textContent('[data-testid=error-themes]'), /3つまで/);
  assert.match(await page.inputValue('[data-testid=diagnosis-own-words]'), /まず話を聞いてほしい/);
  await page.uncheck('[data-testid=diagnosis-theme-middle_senior]');
  await page.uncheck('[data-testid=diagnosis-theme-relearning]');
  await page.check('[data-testid=diagnosis-setting-online]');
  await click(page, '[data-testid=diagnosis-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /保存しました/);
  assert.equal(await page.locator('[data-testid=proposal]').count(), 10, 'saved, it proposes ten');
  await page.goto(`${server.base}/my/consultant-diagnosis`);
  await shot(page, 'diagnosis');
  await fitsPhone(page, 'diagnosis');
  await click(page, '[data-testid=see-proposals]');
  const first = page.locator('[data-testid=proposal]').first();
  assert.match(await first.textContent(), /あなたが話したいテーマ/);
  await click(page, first.locator('[data-testid=proposal-open]'));
  assert.ok(await page.isVisible('[data-testid=consultant-themes]'));
  await page.close();
});
