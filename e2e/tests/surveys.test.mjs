// アンケートと組織レポート: HR opens the 5-supports survey for the demo company; the demo
// employee answers on マイキャリア (a missing answer is named, the choices kept) and
// nineteen colleagues answer through the API; HR closes it and reads the heatmap with
// small units hidden; the manager reads their own unit — and, in a survey where too few of
// their unit answered, is told it cannot be shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, shot, click, fitsPhone, cli, artifacts, dateIn } from './support.mjs';

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


async function api(token, method, path, body) {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

const tokenOf = (email) => cli(server, ['token', 'create', '--email', email]).trim();

async function openSurvey(page, title, department) {
  await page.goto(`${server.base}/surveys`);
  await page.check('[data-testid=survey-kind-five_supports]');
  await page.fill('[data-testid=survey-title]', title);
  await page.fill('[data-testid=survey-closes]', dateIn(14));
  if (department) {
    await page.check('[data-testid=survey-population-department]');
    const value = await page.$eval('[data-testid=survey-department]', (el, name) =>
      [...el.options].find((o) => o.textContent.trim() === name)?.value, department);
    assert.ok(value, `the department ${department} is offered`);
    await page.selectOption('[data-testid=survey-department]', value);
  } else {
    await page.check('[data-testid=survey-population-everyone]');
  }
  await click(page, '[data-testid=survey-open]');
  assert.match(await page.textContent('[data-testid=flash]'), /アンケートを始めました/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

async function closeSurvey(page, id) {
  await page.goto(`${server.base}/surveys/${id}`);
  await click(page, '[data-testid=survey-close-open]');
  await click(page, '[data-testid=survey-close]');
  assert.match(await page.textContent('[data-testid=flash]'), /締め切りました/);
}

async function answerAsEmployee(page, title) {
  await signIn(page, server.base, 'employee');
  await page.goto(`${server.base}/my`);
  await click(page, page.locator('[data-testid=my-survey-to-answer-link]', { hasText: title }));
  assert.match(await page.textContent('[data-testid=survey-anonymity]'), /匿名/);
  const questions = await page.locator('[data-testid=survey-question]').count();
  assert.ok(questions >= 15, 'several items per support and the two indicators');
  // Every question but the last: told which one is left, the choices kept.
  for (let i = 1; i < questions; i++) await page.check(`[data-testid=answer-q${i}-4]`);
  await click(page, '[data-testid=survey-submit]');
  assert.match(await page.textContent('[data-testid=survey-answer-error]'), /1問が未回答/);
  assert.ok(await page.isChecked('[data-testid=answer-q1-4]'), 'the choices are kept');
  await shot(page, 'survey-answer-missing');
  await page.check(`[data-testid=answer-q${questions}-2]`);
  await click(page, '[data-testid=survey-submit]');
  assert.match(await page.textContent('[data-testid=flash]'), /回答を受け付けました/);
}

test('HR opens the 5-supports survey, twenty people answer, the heatmap hides small units; the manager sees their unit only with k respondents', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'hr');
  const id = await openSurvey(page, 'E2E 5つの支援サーベイ');
  await shot(page, 'survey-hr-detail');
  await page.goto(`${server.base}/surveys`);
  await shot(page, 'survey-hr-list');
  await fitsPhone(page, 'survey-hr-list');

  // The demo employee answers on マイキャリア.
  await answerAsEmployee(page, 'E2E 5つの支援サーベイ');
  await fitsPhone(page, 'survey-my-list');

  // Nineteen more through the API: two of the employee's own unit, seventeen elsewhere.
  const hrToken = tokenOf('hr@demo.example.jp');
  const managerToken = tokenOf('manager@demo.example.jp');
  const members = (await api(managerToken, 'GET', '/api/v1/members')).json;
  const employee = (await api(tokenOf('employee@demo.example.jp'), 'GET', '/api/v1/me')).json;
  const me = (await api(hrToken, 'GET', `/api/v1/people/${employee.user.person_id}`)).json;
  const unit = me.department;
  const sameUnit = members.filter((m) => m.department === unit && m.employee_number !== me.employee_number).slice(0, 4);
  assert.equal(sameUnit.length, 4, `four colleagues in ${unit}`);
  const others = [];
  for (let pid = 1; others.length < 17 && pid < 400; pid += 5) {
    const p = (await api(hrToken, 'GET', `/api/v1/people/${pid}`)).json;
    if (p && p.department && p.department !== unit && p.status === 'active'
      && !members.some((m) => m.employee_number === p.employee_number)) others.push(p);
  }
  assert.equal(others.length, 17);
  let n = 0;
  const accounts = new Map();
  async function answerByApi(p, survey) {
    if (!accounts.has(p.employee_number)) {
      n += 1;
      const email = `e2e-survey-${n}@demo.example.jp`;
      cli(server, ['user', 'create', '--email', email, '--name', p.name, '--role', 'employee',
        '--employee-number', p.employee_number], 'survey-password-2026\n');
      accounts.set(p.employee_number, tokenOf(email));
    }
    const token = accounts.get(p.employee_number);
    const asked = (await api(token, 'GET', '/api/v1/surveys')).json.asked.find((s) => s.id === survey);
    const answers = Object.fromEntries(asked.questions.map((q, i) => [q.key, 1 + ((n + i) % 5)]));
    const r = await api(token, 'POST', `/api/v1/surveys/${survey}/answers`, { answers });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    // Twice: refused, the first kept.
    assert.equal((await api(token, 'POST', `/api/v1/surveys/${survey}/answers`, { answers })).status, 409);
  }
  for (const p of [...sameUnit.slice(0, 2), ...others]) await answerByApi(p, id);

  // HR: participation, no figures until closed, then the heatmap.
  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/surveys/${id}`);
  assert.match(await page.textContent('[data-testid=survey-participation]'), /回答20名/);
  await page.goto(`${server.base}/org-report?survey=${id}`);
  assert.equal(await page.locator('[data-testid=org-report-heatmap]').count(), 0);
  assert.match(await page.textContent('[data-testid=org-report-notice]'), /回答受付中/);
  await closeSurvey(page, id);
  await click(page, '[data-testid=survey-report-link]');
  assert.match(await page.textContent('[data-testid=org-report-total]'), /20名/);
  await shot(page, 'org-report-hr');
  // Going down the units until small ones are hidden, never shown with figures.
  let hidden = await page.locator('[data-testid=org-report-hidden]').count();
  for (let depth = 0; hidden === 0 && depth < 3; depth++) {
    await click(page, page.locator('[data-testid=org-report-down]').first());
    hidden = await page.locator('[data-testid=org-report-hidden]').count();
  }
  assert.ok(hidden > 0, 'small units are hidden');
  assert.match(await page.textContent('[data-testid=org-report-hidden] >> nth=0'), /5名未満/);
  await shot(page, 'org-report-hr-hidden');
  await fitsPhone(page, 'org-report-hr-hidden');
  await page.goto(`${server.base}/org-report?survey=${id}&by=age`);
  assert.equal(await page.locator('[data-testid=org-report-heatmap]').count(), 1);
  await shot(page, 'org-report-hr-age');

  // The manager: their unit had three respondents — too few to show.
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/org-report?survey=${id}`);
  assert.match(await page.textContent('[data-testid=org-report-notice]'), /5名に満たない/);
  assert.equal(await page.locator('[data-testid=org-report-heatmap]').count(), 0);
  await shot(page, 'org-report-manager-too-few');

  // A survey of that unit alone, answered by the employee and four colleagues: shown to
  // the manager, their unit only.
  const path = (await api(hrToken, 'GET', `/api/v1/org-report?survey=${id}&unit=${(await api(managerToken, 'GET', `/api/v1/org-report?survey=1`)).json.survey.path.at(-1)[0]}`)).json.survey.path;
  await signIn(page, server.base, 'hr');
  const own = await openSurvey(page, 'E2E 部署アンケート', path.map((p) => p[1]).join(' / '));
  await answerAsEmployee(page, 'E2E 部署アンケート');
  for (const p of sameUnit) await answerByApi(p, own);
  await signIn(page, server.base, 'hr');
  await closeSurvey(page, own);
  await signIn(page, server.base, 'manager');
  await page.goto(`${server.base}/org-report?survey=${own}`);
  assert.match(await page.textContent('[data-testid=org-report-total]'), /5名/);
  assert.match(await page.textContent('[data-testid=org-report-path]'), new RegExp(unit));
  assert.doesNotMatch(await page.textContent('[data-testid=org-report-path]'), /全社/);
  await shot(page, 'org-report-manager');
  await fitsPhone(page, 'org-report-manager');
  await page.close();
});

test('the consultant tags the themes raised in an interview; HR adds a theme of its own and reads the counts by unit', async () => {
  const page = await context.newPage();
  await signIn(page, server.base, 'consultant');
  await page.goto(`${server.base}/dialogues`);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('[data-testid=past] tr', { hasText: 'キャリア面談' }).first().locator('a').click(),
  ]);
  const interview = page.url();
  for (const key of ['career_direction', 'job_change', 'care', 'health']) await page.uncheck(`[data-testid=concern-${key}]`);
  await page.check('[data-testid=concern-job_change]');
  await page.check('[data-testid=concern-care]');
  await click(page, '[data-testid=concern-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /相談テーマを\d+件記録しました/);
  await page.goto(interview);
  assert.ok(await page.isChecked('[data-testid=concern-job_change]'));
  assert.ok(await page.isChecked('[data-testid=concern-care]'));
  assert.ok(!(await page.isChecked('[data-testid=concern-health]')));
  await page.locator('[data-testid=concerns]').screenshot({ path: join(artifacts, 'concerns-section.png') });

  await signIn(page, server.base, 'hr');
  await page.goto(`${server.base}/surveys`);
  await page.fill('[data-testid=concern-label-ja]', '健康');
  await click(page, '[data-testid=concern-add]');
  assert.match(await page.textContent('[data-testid=concern-error]'), /同じ名前のテーマ/);
  assert.equal(await page.inputValue('[data-testid=concern-label-ja]'), '健康');
  await page.fill('[data-testid=concern-label-ja]', '副業');
  await page.fill('[data-testid=concern-label-en]', 'Side jobs');
  await click(page, '[data-testid=concern-add]');
  assert.match(await page.textContent('[data-testid=flash]'), /副業/);
  // The questions of the next survey: one reworded; a choice left empty is refused.
  await click(page, '[data-testid=questions-link-five_supports]');
  await page.fill('[data-testid=question-ja-1]', '上司に安心して失敗を話せます。');
  await page.fill('[data-testid=scale-ja-3]', '');
  await click(page, '[data-testid=questions-save]');
  assert.match(await page.textContent('[data-testid=questions-error]'), /5段階すべて/);
  assert.equal(await page.inputValue('[data-testid=question-ja-1]'), '上司に安心して失敗を話せます。');
  await page.fill('[data-testid=scale-ja-3]', 'どちらでもない');
  await click(page, '[data-testid=questions-save]');
  assert.match(await page.textContent('[data-testid=flash]'), /質問を保存しました/);
  await shot(page, 'survey-questions');
  await fitsPhone(page, 'survey-questions');
  await page.goto(`${server.base}/org-report`);
  await click(page, '[data-testid=org-report-themes-tab]');
  assert.match(await page.textContent('[data-testid=themes-heatmap]'), /キャリアの方向性/);
  assert.match(await page.textContent('[data-testid=themes-heatmap]'), /副業/);
  assert.match(await page.textContent('[data-testid=themes-total]'), /\d+名/);
  await shot(page, 'org-report-themes');
  await fitsPhone(page, 'org-report-themes');
  await page.close();
});
