// HR imports a real-looking Shift_JIS employee master in the browser: a file with problems
// is explained row by row and changes nothing; the corrected file is previewed and applied;
// the master exported back in Shift_JIS imports again without a single change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, signIn, shot, artifacts } from './support.mjs';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'kyoritsu', 'tests', 'fixtures');
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

const RESULT = '[data-testid=import-summary], [data-testid=import-problems], [data-testid=import-file-error]';

// The file goes up with XMLHttpRequest (for the progress bar) and the answer replaces the
// page, so wait for what the answer shows rather than for a navigation.
async function upload(page, file) {
  await page.goto(`${server.base}/people/import`);
  await page.setInputFiles('[data-testid=import-file]', file);
  await page.click('[data-testid=import-check]');
  await page.waitForSelector(RESULT);
}

test('a large upload shows how much has been sent, then that the rows are being checked', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/people/import`);
  // 600 KB at 150 KB/s: a few seconds of upload to watch.
  const big = join(artifacts, 'large-upload.csv');
  const header = '社員番号,氏名,フリガナ,所属\n';
  const lines = Array.from({ length: 12000 }, (_, i) => `L${String(i).padStart(6, '0')},大野 太郎,オオノ タロウ,検証本部/検証部`);
  writeFileSync(big, header + lines.join('\n') + '\n');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 150 * 1024,
  });
  await page.setInputFiles('[data-testid=import-file]', big);
  await page.click('[data-testid=import-check]');
  const progress = page.locator('[data-testid=import-progress]');
  await progress.waitFor({ state: 'visible' });
  await page.waitForFunction(() => /送信しています… [1-9][0-9]?%/.test(document.querySelector('[data-testid=import-progress]')?.textContent ?? ''));
  assert.equal(await page.locator('[data-testid=import-check]').isDisabled(), true, 'cannot be sent twice');
  await shot(page, 'import-upload-progress');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
  });
  await page.waitForSelector(RESULT, { timeout: 60000 });
  assert.equal((await page.textContent('[data-testid=added-count]')).trim(), '12000');
  await page.close();
});

test('HR fixes a file with problems, imports it, and exports it back unchanged', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');

  await upload(page, join(fixtures, 'employees_problems_sjis.csv'));
  assert.match(await page.textContent('[data-testid=import-problems]'), /件の問題があります/);
  const rows = await page.locator('[data-testid=problem-row]').allTextContents();
  assert.ok(rows.some((r) => r.includes('1976年2月30日') && r.includes('存在しない日付です')), rows.join('\n'));
  assert.ok(rows.some((r) => r.includes('循環')), rows.join('\n'));
  assert.equal(await page.locator('[data-testid=import-apply]').count(), 0, 'no way to apply a file with problems');
  await shot(page, 'import-problems');

  await upload(page, join(fixtures, 'employees_sjis.csv'));
  assert.equal((await page.textContent('[data-testid=added-count]')).trim(), '5');
  await shot(page, 'import-preview');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=import-apply]')]);
  assert.match(await page.textContent('[data-testid=flash]'), /取り込みました：追加 5名/);
  await shot(page, 'import-done');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-sjis]')]);
  const exported = join(artifacts, 'exported-sjis.csv');
  await download.saveAs(exported);
  const text = new TextDecoder('shift_jis').decode(readFileSync(exported));
  assert.ok(text.startsWith('社員番号,氏名,フリガナ'), text.slice(0, 80));
  assert.ok(text.includes('高橋 﨑子'));

  await upload(page, exported);
  assert.equal((await page.textContent('[data-testid=added-count]')).trim(), '0');
  const summary = await page.textContent('[data-testid=import-summary]');
  assert.doesNotMatch(summary, /更新される人\s*[1-9]/);

  // A changed name: the preview says from what to what.
  const changed = join(artifacts, 'changed-utf8.csv');
  writeFileSync(changed, '\ufeff' + text.replace('高橋 﨑子', '高橋 崎子'));
  await upload(page, changed);
  const change = await page.locator('[data-testid=import-change]').first().textContent();
  assert.match(change, /氏名：高橋 﨑子 → 高橋 崎子/);
  await shot(page, 'import-preview-changes');
  await page.close();
});

test('a broken file is refused with a clear message', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'admin');
  const junk = join(artifacts, 'junk.xlsx');
  writeFileSync(junk, Buffer.from('PK\u0003\u0004 not really a workbook'));
  await upload(page, junk);
  assert.match(await page.textContent('[data-testid=import-file-error]'), /Excelファイルを読み取れませんでした/);
  await page.close();
});

test('HR finds the imported people in the directory and the org tree', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/people`);
  await page.fill('[data-testid=directory-q]', 'たかはし さきこ');
  await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=directory-search]')]);
  const rows = await page.locator('[data-testid=directory-row]').allTextContents();
  assert.ok(rows.some((r) => r.includes('高橋 﨑子') && r.includes('E0004')), rows.join('\n'));
  await shot(page, 'directory');

  await page.goto(`${server.base}/org`);
  const node = page.locator('[data-testid=org-node]', { hasText: '営業本部' }).first();
  await node.click();
  await page.locator('[data-testid=org-tree] .tree-slot li').first().waitFor();
  const tree = await page.textContent('[data-testid=org-tree]');
  assert.match(tree, /東日本営業部/);
  await shot(page, 'org-tree');
  await page.close();
});
