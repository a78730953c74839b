// Accounts on the web: the admin invites every employee of a department from the
// employee master; one of them sets a password from the e-mail and signs in; another,
// having forgotten theirs, resets it from the sign-in page. Then a user changes their own
// language and notices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, startSmtpSink, eventually, launchBrowser, signIn, shot, click, fitsPhone } from './support.mjs';

let server;
let smtp;
let context;
let receiver;
const posts = [];

before(async () => {
  smtp = await startSmtpSink();
  // A local chat webhook receiver (Slack's shape), which the server may post to.
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { posts.push({ path: req.url, body: JSON.parse(body) }); res.end('ok'); });
  });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
  const hooks = `127.0.0.1:${receiver.address().port}`;
  server = await startServer({ env: {
    KYORITSU_SMTP_URL: smtp.url,
    KYORITSU_WORKER_INTERVAL_SECONDS: '1',
    KYORITSU_WEBHOOK_HOSTS: `["${hooks}"]`,
  } });
  context = await launchBrowser();
});

after(async () => {
  await context?.close();
  await server?.stop();
  smtp?.stop();
  receiver?.close();
});

/// The path of the newest e-mailed link under `/${prefix}/` to `to`.
async function linkTo(to, prefix, after = 0) {
  const mail = await eventually(
    () => smtp.messages().slice(after).reverse().find((m) => m.to.includes(to) && m.body.includes(`/${prefix}/`)),
    30_000,
    `the ${prefix} e-mail to ${to}`,
  );
  return mail.body.match(new RegExp(`/${prefix}/[A-Za-z0-9_-]+`))[0];
}

async function signInAs(page, email, password) {
  await page.context().clearCookies();
  await page.goto(`${server.base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

async function setPassword(page, path, password) {
  await page.context().clearCookies();
  await page.goto(`${server.base}${path}`);
  assert.match(await page.textContent('main'), /12文字以上/, 'the rule is stated');
  await page.fill('[data-testid=invitation-password]', password);
  await page.fill('[data-testid=invitation-password-again]', password);
  await click(page, '[data-testid=invitation-submit]');
}

test('the admin invites a department; one sets a password, another resets a forgotten one', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'admin');
  // The admin's home says who has no account yet, and leads to the invitation.
  await click(page, '[data-testid=admin-to-do-uninvited] a');
  assert.match(await page.textContent('h1'), /社員の招待/);
  const options = await page.locator('[data-testid=invite-department] option').count();
  await page.selectOption('[data-testid=invite-department]', { index: options - 1 });
  const chosen = await page.inputValue('[data-testid=invite-department]');
  await click(page, '[data-testid=invite-preview]');
  const count = Number((await page.textContent('[data-testid=invite-count]')).match(/(\d+)人/)[1]);
  assert.ok(count >= 2, `the department ${chosen} has people to invite (${count})`);
  const rows = page.locator('[data-testid=invite-person]');
  const address = async (i) => (await rows.nth(i).locator('td').nth(2).textContent()).trim();
  const [first, second] = [await address(0), await address(1)];
  assert.match(await page.textContent('[data-testid=invite-confirm]'), new RegExp(`${count}人の社員のアカウントを作成`));
  await shot(page, 'admin-invitations-preview');
  await fitsPhone(page, 'admin-invitations-preview');
  await click(page, '[data-testid=invite-send]');
  assert.match(await page.textContent('[data-testid=flash]'), new RegExp(`${count}人に招待メールを送りました`));
  assert.ok((await page.locator('[data-testid=user-invited]').count()) >= count, 'each is listed as invited');
  await shot(page, 'admin-users-invited');

  // The first sets a password from the e-mail and signs in to their own career page.
  const firstPath = await linkTo(first, 'invitations');
  await setPassword(page, firstPath, 'キャリアの準備を始めます。');
  assert.match(await page.textContent('[data-testid=flash]'), /パスワードを設定しました/);
  await signInAs(page, first, 'キャリアの準備を始めます。');
  assert.ok(await page.locator('[data-testid=signed-in-as]').count(), 'signed in, at their home');
  // The link worked once.
  await page.context().clearCookies();
  await page.goto(`${server.base}${firstPath}`);
  assert.match(await page.textContent('[data-testid=invitation-gone]'), /すでに使われたか/);

  // The second set one too, then forgot it: the sign-in page leads to a reset.
  await setPassword(page, await linkTo(second, 'invitations'), 'いちどめのパスワードです。');
  const seen = smtp.messages().length;
  await page.goto(`${server.base}/login`);
  await click(page, '[data-testid=forgot-password]');
  await page.fill('[data-testid=reset-email]', second);
  await click(page, '[data-testid=reset-submit]');
  assert.match(await page.textContent('[data-testid=reset-sent]'), /60分間/);
  await shot(page, 'password-reset-sent');
  await fitsPhone(page, 'password-reset-sent');
  const resetPath = await linkTo(second, 'password-reset', seen);
  await page.goto(`${server.base}${resetPath}`);
  assert.match(await page.textContent('h1'), /新しいパスワードの設定/);
  // Two entries that differ: said, the form is still there.
  await page.fill('[data-testid=invitation-password]', 'あたらしいパスワードです。');
  await page.fill('[data-testid=invitation-password-again]', 'あたらしいパスワードでした');
  await click(page, '[data-testid=invitation-submit]');
  assert.match(await page.textContent('[data-testid=invitation-error]'), /一致しません/);
  await shot(page, 'password-reset-form');
  await page.fill('[data-testid=invitation-password]', 'あたらしいパスワードです。');
  await page.fill('[data-testid=invitation-password-again]', 'あたらしいパスワードです。');
  await click(page, '[data-testid=invitation-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /新しいパスワードを設定しました/);
  await signInAs(page, second, 'いちどめのパスワードです。');
  assert.match(await page.textContent('[data-testid=login-error]'), /正しくありません/, 'the forgotten password no longer works');
  await signInAs(page, second, 'あたらしいパスワードです。');
  assert.ok(await page.locator('[data-testid=signed-in-as]').count(), 'signed in with the new one');
  await page.close();
});

test('a user chooses English and notices in the app only on their own settings page', async () => {
  const page = await context.newPage();
  // The admin allows Slack for people's own webhooks.
  await signIn(page, server.base, 'admin');
  await page.goto(`${server.base}/admin#chat`);
  await page.check('[data-testid=chat-allow-slack]');
  await click(page, '[data-testid=chat-services-save]');
  assert.ok(await page.isChecked('[data-testid=chat-allow-slack]'));
  await signIn(page, server.base, 'employee');
  await click(page, '[data-testid=signed-in-as]');
  assert.match(await page.textContent('h1'), /アカウント設定/);
  assert.match(await page.textContent('[data-testid=account-email]'), /employee@demo\.example\.jp/);
  // A wrong current password: said, and what was typed elsewhere is untouched.
  await page.fill('[data-testid=password-current]', 'まちがったパスワード');
  await page.fill('[data-testid=password-new]', 'あたらしいパスワードです。');
  await page.fill('[data-testid=password-again]', 'あたらしいパスワードです。');
  await click(page, '[data-testid=password-save]');
  assert.match(await page.textContent('[data-testid=password-error]'), /現在のパスワードが正しくありません/);
  await shot(page, 'account-settings');
  await fitsPhone(page, 'account-settings');
  // Their own Slack: a wrong address is said and kept; theirs is connected and tested.
  await page.fill('[data-testid=chat-url]', 'https://example.com/hooks/x');
  await click(page, '[data-testid=chat-save]');
  assert.match(await page.textContent('[data-testid=chat-error]'), /WebhookのURLではありません/);
  assert.equal(await page.inputValue('[data-testid=chat-url]'), 'https://example.com/hooks/x');
  await page.fill('[data-testid=chat-url]', `http://127.0.0.1:${receiver.address().port}/services/T0/B0/own`);
  await click(page, '[data-testid=chat-save]');
  assert.match(await page.textContent('[data-testid=chat-connected]'), /Slackに接続しています/);
  await click(page, '[data-testid=chat-test]');
  const post = await eventually(() => posts.find((p) => p.path === '/services/T0/B0/own'), 30_000, 'the test message');
  assert.match(post.body.text, /テストメッセージ/);
  await page.locator('#chat').screenshot({ path: `${process.cwd()}/artifacts/account-chat.png` });
  // A private calendar feed: its address shown once, and a calendar program can read it.
  await click(page, '[data-testid=feed-start]');
  const feed = await page.inputValue('[data-testid=feed-url]');
  const ics = await (await fetch(feed.replace(/^https?:\/\/[^/]+/, server.base))).text();
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.match(ics, /BEGIN:VEVENT/);
  await page.locator('#calendar').screenshot({ path: `${process.cwd()}/artifacts/account-calendar-feed.png` });
  // An API token of its own, read-only, shown once.
  await click(page, '[data-testid=to-tokens]');
  await page.fill('[data-testid=token-label]', '人事システム連携');
  await page.check('[data-testid=token-scope-read]');
  await click(page, '[data-testid=token-make]');
  const token = await page.inputValue('[data-testid=token-secret]');
  assert.match(token, /^kyr_/);
  const me = await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);
  assert.equal(await page.locator('[data-testid=token-row]').count(), 1);
  await shot(page, 'account-tokens');
  await fitsPhone(page, 'account-tokens');
  await click(page, '[data-testid=token-revoke]');
  assert.match(await page.textContent('[data-testid=token-state]'), /失効/);
  await page.goto(`${server.base}/account`);
  await page.selectOption('[data-testid=preferences-language]', 'en');
  await page.check('[data-testid=notify-in_app]');
  await click(page, '[data-testid=preferences-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /Your settings are saved/);
  assert.match(await page.textContent('h1'), /Account settings/);
  assert.ok(await page.isChecked('[data-testid=notify-in_app]'));
  await shot(page, 'account-settings-en');
  // Signing in again keeps the language chosen, in a browser that never switched.
  await page.context().clearCookies();
  await signIn(page, server.base, 'employee');
  assert.match(await page.textContent('nav'), /My career|Career/);
  await page.close();
});
