// An employee writes their career sheet (キャリアシート): one section kept private, saved as
// versions, compared side by side; what they type survives a closed tab through the
// autosaved draft; nobody else sees any of it.
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

test('an employee writes, saves, revises and compares their career sheet', async () => {
  const page = await context.newPage();
  // The demo HR person starts with an empty sheet (the demo employee already has two versions).
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/my`);
  await page.click('[data-testid=open-sheet]');
  assert.match(await page.textContent('[data-testid=page-title]'), /キャリアシート/);
  await page.fill('[data-testid=sheet-meaning]', 'お客様から「助かった」と言われるとき。');
  await page.fill('[data-testid=sheet-vision]', '3年後に、新しいサービスの企画を任されている。');
  await page.fill('[data-testid=sheet-horizon]', '3');
  await page.fill('[data-testid=sheet-concerns]', 'E2E-PRIVATE 親の介護と両立できるか');
  await page.check('[data-testid=sheet-concerns-private]');
  await shot(page, 'career-sheet-edit');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=sheet-save]')]);
  assert.match(await page.textContent('[data-testid=flash]'), /第1版/);

  await page.fill('[data-testid=sheet-vision]', '3年後に新しいサービスの企画を任され、5年後には事業の責任者になっている。');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=sheet-save]')]);
  assert.match(await page.textContent('[data-testid=flash]'), /第2版/);

  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=compare]')]);
  assert.match(await page.textContent('[data-testid=compare-summary]'), /1項目が変わりました/);
  const changed = page.locator('[data-testid=compare-section][data-changed=true]');
  assert.equal(await changed.count(), 1);
  assert.match(await changed.textContent(), /キャリアビジョン/);
  assert.match(await changed.locator('ins').first().textContent(), /事業の責任者/);
  await shot(page, 'career-sheet-compare');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the comparison is ${overflow}px wider than a phone screen`);
  await shot(page, 'phone-career-sheet-compare');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.close();
});

test('what was typed survives closing the tab, as a draft shown next time', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/my/career-sheet`);
  await page.fill('[data-testid=sheet-strengths]', '初めての人とでもすぐに打ち解けられる');
  // The autosave runs a moment after typing stops.
  await page.waitForFunction(() => /自動保存しました/.test(document.querySelector('[data-testid=autosave-status]').textContent));
  await page.close();
  const again = await context.newPage();
  await again.goto(`${server.base}/my/career-sheet`);
  assert.equal(await again.inputValue('[data-testid=sheet-strengths]'), '初めての人とでもすぐに打ち解けられる');
  assert.match(await again.textContent('[data-testid=sheet-notice]'), /まだ保存していない下書き/);
  await shot(again, 'career-sheet-draft-restored');
  await Promise.all([again.waitForLoadState('load'), again.click('[data-testid=discard-draft]')]);
  assert.equal(await again.inputValue('[data-testid=sheet-strengths]'), '');
  // Closed at once, before the autosave's pause: the page sends the draft as it goes.
  await again.fill('[data-testid=sheet-skills]', '基本情報技術者（閉じる直前に入力）');
  await again.close({ runBeforeUnload: true });
  const third = await context.newPage();
  let kept = '';
  for (let i = 0; i < 20 && !kept; i++) {
    await third.goto(`${server.base}/my/career-sheet`);
    kept = await third.inputValue('[data-testid=sheet-skills]');
    if (!kept) await third.waitForTimeout(250);
  }
  assert.equal(kept, '基本情報技術者（閉じる直前に入力）');
  await third.close();
});

test('nobody else sees someone\'s career sheet', async () => {
  const page = await context.newPage();
  for (const role of ['employee', 'manager', 'admin', 'consultant']) {
    await signIn(page, server.base, role);
    for (const path of ['/my/career-sheet', '/my/career-sheet/versions/1', '/my/career-sheet/compare?from=1&to=2', '/people?q=']) {
      await page.goto(`${server.base}${path}`);
      const text = await page.textContent('body');
      assert.ok(!text.includes('E2E-PRIVATE'), `${role} ${path}`);
      assert.ok(!text.includes('新しいサービスの企画'), `${role} ${path}`);
    }
  }
  await page.close();
});

test('the demo employee can follow how their sheet changed', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my/career-sheet`);
  assert.equal(await page.locator('[data-testid=sheet-versions] li').count(), 2);
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=compare]')]);
  assert.match(await page.textContent('[data-testid=compare-summary]'), /2項目が変わりました/);
  await shot(page, 'career-sheet-demo-compare');
  await page.close();
});
