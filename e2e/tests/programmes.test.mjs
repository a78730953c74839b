// A milestone programme (節目プログラム) from start to commitment: HR is refused a second
// copy of FY2026's running "turns 50" programme, then launches FY2026's "10 years since
// hire" programme (the cohort is exactly `kyoritsu cohort --fy 2026 --years-since-hire 10`), a
// participant does the pre-learning and the Career Anchor inventory, HR adds a session and
// places everyone (groups by anchor), a milestone interview ends committed, and the
// funnel on the programme page moves at each step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, shot, cli, click, artifacts, dateIn } from './support.mjs';

let server;
let context;

before(async () => {
  // A company large enough for a cohort of about ten in their tenth year.
  server = await startServer({ env: { KYORITSU_DEMO_EMPLOYEES: '1000' } });
  context = await launchBrowser();
});

after(async () => {
  await context?.close();
  await server?.stop();
});


/// The funnel's counts, in stage order.
async function funnel(page, url) {
  await page.goto(url);
  const cells = await page.locator('[data-testid=funnel] [data-testid=funnel-count]').allTextContents();
  return cells.map((c) => Number(c.trim()));
}

test('HR runs an FY2026 milestone programme from the cohort to a commitment', async () => {
  const cohort = JSON.parse(cli(server, ['cohort', '--fy', '2026', '--years-since-hire', '10', '--format', 'json']));
  assert.ok(cohort.count >= 2, `a cohort to work with (${cohort.count})`);
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/programmes`);
  // Ten past years of the demo's programme and this year's running one.
  assert.ok(await page.locator('[data-testid=programme-row]').count() >= 10);
  await shot(page, 'programmes-home');
  await click(page, '[data-testid=programme-row]:last-child [data-testid=programme-link]');
  assert.ok(Number((await page.locator('[data-testid=funnel-count]').last().textContent()).trim()) > 0,
    'a past programme has its behaviour evaluations');
  await shot(page, 'programme-past');
  // This year's monthly 1on1s for the managers of a division.
  await page.goto(`${server.base}/programmes`);
  await click(page, '[data-testid=programme-row]:has-text("毎月の1on1") [data-testid=programme-link]');
  assert.ok(await page.locator('[data-testid=cadence-row]').count() >= 1);
  await shot(page, 'programme-cadence');
  await page.goto(`${server.base}/programmes`);
  await click(page, '[data-testid=programme-new]');
  // Nobody matches: told, and nothing is created.
  await page.fill('[data-testid=programme-name]', 'FY2026 入社10年目研修（テスト）');
  await page.fill('[data-testid=programme-fy]', '2026');
  await page.check('[data-testid=programme-template-milestone_age]');
  await page.fill('[data-testid=programme-ages]', '75');
  await click(page, '[data-testid=programme-launch]');
  assert.match(await page.textContent('[data-testid=programme-errors]'), /当てはまる在籍者はいません/);
  assert.equal(await page.inputValue('[data-testid=programme-name]'), 'FY2026 入社10年目研修（テスト）');
  await page.fill('[data-testid=programme-ages]', '５０');
  await page.fill('[data-testid=programme-group-min]', '2');
  // FY2026's "turns 50" programme is already running: launching it again is refused,
  // with the way to the one that exists, and the form as typed.
  await click(page, '[data-testid=programme-launch]');
  assert.match(await page.textContent('[data-testid=programme-errors]'), /すでにあります/);
  assert.match(await page.textContent('[data-testid=programme-duplicate-of]'), /2026年度 50歳節目キャリア研修/);
  assert.equal(await page.inputValue('[data-testid=programme-name]'), 'FY2026 入社10年目研修（テスト）');
  await shot(page, 'programme-duplicate');
  await page.check('[data-testid=programme-template-milestone_tenure]');
  await page.fill('[data-testid=programme-ages]', '');
  await page.fill('[data-testid=programme-tenures]', '10');
  // Departments can be picked by name.
  assert.ok(await page.locator('#department-choices option').count() > 0, 'a department picker');
  await shot(page, 'programme-new');
  // First the cohort is shown — who, how many, who is left out — and nothing is created.
  await click(page, '[data-testid=programme-launch]');
  assert.match(await page.textContent('[data-testid=cohort-preview] h2'), new RegExp(`${cohort.count}名`));
  assert.equal(await page.locator('[data-testid=preview-person]').count(), Math.min(cohort.count, 50));
  await shot(page, 'programme-preview');
  await click(page, '[data-testid=programme-launch-confirm]');
  assert.match(await page.textContent('[data-testid=flash]'), new RegExp(`対象者は${cohort.count}名`));
  const programmeUrl = page.url();
  const rows = await page.locator('[data-testid=participant]').allTextContents();
  assert.equal(rows.length, cohort.count);
  for (const p of cohort.people) {
    assert.ok(rows.some((r) => r.includes(p.employee_number)), `${p.employee_number} is in the cohort`);
  }
  // A short video for the pre-learning, served by the product.
  await page.locator('[data-testid=pre-learning-admin] summary').click();
  const video = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(256)]);
  await page.setInputFiles('[data-testid=pre-learning-upload]', { name: '研修の目的.mp4', mimeType: 'video/mp4', buffer: video });
  await click(page, '[data-testid=pre-learning-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /事前学習の内容を保存しました/);
  assert.match(await page.textContent('[data-testid=pre-learning-file]'), /研修の目的\.mp4/);
  const start = await funnel(page, programmeUrl);
  assert.equal(start[0], cohort.count);
  // A participant not interviewed yet this year gets an account of their own.
  const fresh = page.locator('[data-testid=participant]').filter({
    has: page.locator('[data-testid=step-interview][data-state=waiting]'),
  });
  let member;
  for (const text of await fresh.allTextContents()) {
    const found = cohort.people.find((p) => text.includes(p.employee_number));
    if (found && !/\(\d+\)/.test(text)) { member = found; break; }
  }
  assert.ok(member, 'someone in the cohort not interviewed yet');
  cli(server, ['user', 'create', '--email', 'member@demo.example.jp', '--name', member.name,
    '--role', 'employee', '--employee-number', member.employee_number], 'member-password-2026\n');

  // The participant: pre-learning, then the inventory from their path.
  await signIn(page, server.base, 'member', 'member-password-2026');
  await page.goto(`${server.base}/my`);
  await click(page, '[data-testid=my-programme]:has-text("FY2026 入社10年目研修（テスト）") [data-testid=open-my-programme]');
  assert.equal(await page.getAttribute('[data-testid=path-pre_learning]', 'data-state'), 'open');
  assert.equal(await page.locator('[data-testid=pre-learning-video]').count(), 1);
  await click(page, '[data-testid=pre-learning-mark]');
  assert.equal(await page.getAttribute('[data-testid=path-pre_learning]', 'data-state'), 'done');
  await shot(page, 'programme-my-path');
  const myPath = page.url();
  // The inventory (retaken if they already answered this year).
  await page.goto(`${server.base}/my/anchors/take`);
  for (let n = 1; n <= 40; n++) {
    await page.check(`input[name=r${n}][value="${(n - 1) % 8 === 5 ? '6' : '2'}"]`);
  }
  for (const n of [6, 14, 22]) await page.check(`[data-testid=statement][data-number="${n}"] [data-testid=pick]`);
  await click(page, '[data-testid=anchors-submit]');
  await page.goto(myPath);
  assert.equal(await page.getAttribute('[data-testid=path-anchors]', 'data-state'), 'done');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflowPath = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflowPath <= 1, `the path is ${overflowPath}px wider than a phone screen`);
  await shot(page, 'programme-my-path-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  // HR: the funnel moved; a session with the calm instructor; everyone placed and grouped.
  await signIn(page, server.base, 'hr');
  const afterPrep = await funnel(page, programmeUrl);
  assert.equal(afterPrep[1], start[1] + 1, 'pre-learning done');
  assert.ok(afterPrep[2] >= 1 && afterPrep[2] >= start[2], 'inventory done');
  await page.fill('[data-testid=session-date]', '2026-07-15');
  await page.fill('[data-testid=session-start]', '10:00');
  await page.fill('[data-testid=session-end]', '17:00');
  await page.fill('[data-testid=session-place]', '本社 研修室B');
  await page.fill('[data-testid=session-capacity]', String(cohort.count + 5));
  await page.selectOption('[data-testid=session-instructor]', { label: '森田 香織' });
  await page.selectOption('[data-testid=session-style]', 'calm');
  await click(page, '[data-testid=session-add]');
  assert.match(await page.textContent('[data-testid=flash]'), /研修日程を追加しました/);
  // The same instructor cannot be in two places at once: refused, the form kept.
  await page.click('[data-testid=session-add-open]');
  await page.fill('[data-testid=session-date]', '2026-07-15');
  await page.fill('[data-testid=session-start]', '13:00');
  await page.fill('[data-testid=session-end]', '15:00');
  await page.fill('[data-testid=session-place]', '第二会場');
  await page.fill('[data-testid=session-capacity]', '10');
  await page.selectOption('[data-testid=session-instructor]', { label: '森田 香織' });
  await page.selectOption('[data-testid=session-style]', 'calm');
  await click(page, '[data-testid=session-add]');
  assert.match(await page.textContent('[data-testid=session-errors]'), /別の研修を担当しています/);
  assert.equal(await page.inputValue('[data-testid=session-place]'), '第二会場');
  await page.goto(programmeUrl);
  await click(page, '[data-testid=place-all]');
  assert.match(await page.textContent('[data-testid=flash]'), new RegExp(`${cohort.count}名を配置しました`));
  const trained = await funnel(page, programmeUrl);
  assert.equal(trained[3], start[3] + cohort.count, 'the session has taken place');
  await shot(page, 'programme-dashboard');
  await click(page, '[data-testid=session-roster]');
  const groups = page.locator('[data-testid=group]');
  assert.ok(await groups.count() >= 1, 'workshop groups');
  assert.equal(await page.locator('[data-testid=group-member]', { hasText: member.name }).count(), 1,
    'the participant is in exactly one group');
  await shot(page, 'programme-roster');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflowRoster = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflowRoster <= 1, `the roster is ${overflowRoster}px wider than a phone screen`);
  await page.setViewportSize({ width: 1280, height: 800 });

  // The interview about a month after training: HR assigns the consultant and books it.
  await page.goto(`${server.base}/assignments`);
  await page.fill('[data-testid=assign-consultant]', 'consultant@demo.example.jp');
  await page.fill('[data-testid=assign-number]', member.employee_number);
  await click(page, '[data-testid=assign]');
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues/new`);
  await page.selectOption('[data-testid=booking-kind]', 'milestone_interview');
  await page.fill('[data-testid=booking-subject-number]', member.employee_number);
  // Held yesterday afternoon and recorded today: booked after the fact, confirmed past
  // the warning.
  await page.fill('[data-testid=booking-date]', dateIn(-1));
  await page.fill('[data-testid=booking-time]', '14:00');
  await click(page, '[data-testid=booking-submit]');
  assert.match(await page.textContent('[data-testid=booking-warnings]'), /過去/);
  await page.check('[data-testid=booking-confirm]');
  await click(page, '[data-testid=booking-submit]');
  const interview = page.url();
  assert.match(interview, /\/dialogues\/\d+$/, await page.locator('main').textContent());
  await page.fill('[data-testid=commitment-action-input]', '来月から、毎月第1金曜に若手向けの業務勉強会を開きます');
  await page.waitForSelector('[data-testid=check-objective][data-ok=true]');
  await page.fill('[data-testid=commitment-starts-on]', dateIn(20));
  await click(page, '[data-testid=commitment-add]');
  // The participant confirms it on the interview page.
  await signIn(page, server.base, 'member', 'member-password-2026');
  await page.goto(interview);
  await click(page, '[data-testid=commitment-confirm]');
  await signIn(page, server.base, 'consultant');
  await page.goto(interview);
  await page.click('[data-testid=close-held-open]');
  await click(page, '[data-testid=close-held]');
  assert.match(await page.textContent('[data-testid=outcome]'), /コミット済み/);

  // The funnel: interviewed and committed moved; interviews to commitment counted.
  await signIn(page, server.base, 'hr');
  const done = await funnel(page, programmeUrl);
  assert.equal(done[4], trained[4] + 1, 'interviewed');
  assert.equal(done[5], trained[5] + 1, 'committed');
  assert.equal(await page.getAttribute(
    `[data-testid=participant]:has-text("${member.employee_number}") [data-testid=step-interview]`, 'data-state'), 'done');
  await shot(page, 'programme-dashboard-committed');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the programme page is ${overflow}px wider than a phone screen`);
  await shot(page, 'programme-dashboard-phone');
  await page.close();
});

test('HR cancels a programme after a confirmation naming the effect; it leaves the participants\' マイキャリア', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  const banner = page.locator('[data-testid=my-programme]', { hasText: '50歳節目キャリア研修' });
  assert.equal(await banner.count(), 1);
  const myLink = await banner.locator('a').getAttribute('href');
  const programmePath = myLink.replace('/my/programmes/', '/programmes/');

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}${programmePath}`);
  await page.click('[data-testid=programme-cancel-open]');
  assert.match(await page.textContent('[data-testid=programme-cancel-box]'), /元に戻せません/);
  await page.locator('[data-testid=programme-cancel-box]').screenshot({ path: join(artifacts, 'programme-cancel-confirm.png') });
  await click(page, '[data-testid=programme-cancel]');
  assert.match(await page.textContent('[data-testid=flash]'), /中止しました/);
  assert.match(await page.textContent('[data-testid=programme-cancelled]'), /中止されました/);
  await page.goto(`${server.base}/programmes`);
  assert.ok(await page.locator('[data-testid=programme-cancelled-tag]').count() >= 1);

  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  assert.equal(await page.locator(`[data-testid=my-programme] a[href="${myLink}"]`).count(), 0);
  await page.close();
});
