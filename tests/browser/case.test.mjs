// A case walked through the procedure in a real browser, through the pages
// only (issue 5): users of the county log in with TOTP; the 承办单位 opens a
// case on application (新建案件, 依申请) and takes it through 受理 and 调查核实,
// recording facts on the fact form and on the guided intake (待查明的关键事实),
// asks for the recommendation (生成系统建议), and holds the consultation
// (会商研判: participants, a recusal, opinions of 纪检 and 组织 written by
// their own users); the 党委 takes it to 认定; the decision posted by the
// user who prepared the case is refused at the form (409, nothing changed)
// and recorded by the 党委 user; then 告知, an appeal (申诉) and its review
// (复核), 结果运用, 备案 with the city, and 纠错: a task added and marked done,
// its completion verified by another user than its creator.  A user of the
// sibling county gets the "未找到" page for the case, the very page of a
// code nobody used.  Forms refused by the server's own field checks (a
// required field emptied, a date that is none) show the message next to
// the field and change nothing.  Screenshots: tasks.png (我的任务 of the
// 承办单位) and case.png (the case file, the whole page).
//
// Every change goes through a form of the page, filled and submitted as a
// user would; a request is posted otherwise only where a refusal is the
// point (the preparer's decision and the sibling county's step, which the
// pages do not offer them).  What the procedure needs at each step follows
// tests/cli/e2e.sh; dates are today's, as the server stamps each step with
// its own today.
//
// The steps share the case and depend on each other, in order: when one
// fails, the later ones of the walk fail too, saying so.  The sibling
// county and the screenshots need only the case to exist; that 办理下一步骤
// offers the 承办单位 no step its role does not perform is a test of its own,
// outside the chain.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
	env, url, launch, submit, pathOf, screenshot, firstLogins, csrfOf, takeStatusProblems, isoDate,
	plain, textOf as rawTextOf, textsOf as rawTextsOf, tableRows as rawTableRows,
	fieldErrors as rawFieldErrors,
} from './lib.mjs';

// What the pages say, their full-width punctuation (，：（）) read as ASCII:
// the texts below are written so, and the pages' typography is not what
// this test is about.
const textOf = async (page, sel) => plain(await rawTextOf(page, sel));
const textsOf = async (page, sel) => (await rawTextsOf(page, sel)).map(plain);
const tableRows = async (page, sel) => (await rawTableRows(page, sel)).map((r) => r.map(plain));
const fieldErrors = async (page, sel) => (await rawFieldErrors(page, sel)).map(plain);

const today = isoDate();
const UNKNOWN = '按现有事实,已没有会改变认定结果的未知事实。';

// The users, all of the county env.org but the sibling's; logins unique in
// the run (named after this file).
const USERS = {
	prep: { login: 'case-cb', name: '承办 李四', role: '承办单位' },   // opens and prepares the case
	party: { login: 'case-dw', name: '党委 王五', role: '党委' },      // decides, reviews
	organ: { login: 'case-zz', name: '组织 吴组', role: '组织' },      // 结果运用, 组织's opinion
	disc: { login: 'case-jj', name: '纪检 陈六', role: '纪检' },       // 纪检's opinion, a fact
	sib: { login: 'case-sib', name: '另县 赵九', role: '承办单位' },   // the sibling county
};

// What the investigation finds (tests/cli/e2e.sh): the facts, and the six
// standards' findings with their reasons.
const FACTS = {
	失误发生日期: isoDate(-60),
	损失金额: '30',
	营商环境领域: '是',
	突破常规探索: '是',
	触犯纪法红线: '否',
	明知故犯: '否',
	谋取私利: '否',
	造成严重后果: '否',
	与中央决策部署不符: '否',
	违反禁止性规定: '否',
	形象工程: '否',
	拒不整改: '否',
};
const FINDINGS = {
	动机态度: ['有利', '出于推动发展的公心'],
	客观条件: ['有利', '无先例可循'],
	程序流程: ['一般', '经集体研究但材料不全'],
	问题性质: ['一般', '属工作失误'],
	后果影响: ['一般', '损失可控'],
	补救情况: ['有利', '已主动挽回损失'],
};

describe('a case on application, through the pages, to rectification', () => {
	let browser;
	const P = {}; // pages by user key
	let code = ''; // the case's code, once opened
	let reached = 0; // the last step of the walk that passed

	const step = (n, name, fn, timeout = 30_000) =>
		it(name, { timeout }, async () => {
			assert.equal(reached, n - 1, `step ${n - 1} did not pass`);
			await fn();
			reached = n;
		});

	const casePath = () => `/cases/${code}`;
	const gotoCase = async (page) => {
		const resp = await page.goto(url(casePath()));
		assert.equal(resp.status(), 200, `GET ${casePath()}`);
		return resp;
	};
	const state = (page) => textOf(page, '#case-state');
	// the form-level messages of the page (.error), for assertion messages
	const errors = async (page) => (await textsOf(page, '.error')).join(' | ');
	const auditCount = async (page) => (await tableRows(page, '#audit table')).length;
	// select the option whose text starts with `prefix`; returns its value
	const selectByText = async (page, selector, prefix) => {
		const value = await page.$eval(selector, (s, p) =>
			[...s.options].find((o) => o.text.startsWith(p))?.value ?? null, prefix);
		assert.ok(value, `${selector} has no option '${prefix}…'`);
		await page.selectOption(selector, value);
		return value;
	};
	// Submit a form of the case page (a selector): a change lands back on
	// the case file (303 to it); a refusal is the case file again, at the
	// form's address, with the given status.
	const send = async (page, form, { status = 200 } = {}) => {
		const action = new URL(await page.getAttribute(form, 'action'), page.url()).pathname;
		const resp = await submit(page, `${form} button[type=submit]`);
		assert.equal(resp.status(), status,
			`${form}: answered ${resp.status()}: ${await errors(page)}`);
		assert.equal(pathOf(page), status === 200 ? casePath() : action,
			`${form} landed on ${page.url()}`);
		if (status === 200)
			assert.equal(resp.request().redirectedFrom()?.method(), 'POST', `${form}: not redirected`);
		return resp;
	};
	// The user takes the case to the next step with 办理下一步骤 on the case
	// page: the step they perform is offered, and the page then shows it.
	const advance = async (who, next, note = '') => {
		const page = P[who].page;
		await gotoCase(page);
		const at = await state(page);
		assert.ok(await page.isVisible('#step'),
			`${P[who].login} (${USERS[who].role}), who performs '${next}', is offered no ` +
			`办理下一步骤 form on the case page at '${at}'` +
			(await page.isVisible('header .notice') ? ` (the page says: ${await textOf(page, 'header .notice')})` : ''));
		const offered = await page.$$eval('#step-next option', (os) => os.map((o) => o.value).filter(Boolean));
		assert.ok(offered.includes(next), `'${next}' is not offered at '${at}': ${offered.join(', ')}`);
		await page.selectOption('#step-next', next);
		if (note) await page.fill('#step-note', note);
		await send(page, '#step');
		assert.equal(await state(page), next, `the step to '${next}': ${await errors(page)}`);
		const rows = await tableRows(page, '#steps table');
		const last = rows[rows.length - 1];
		assert.deepEqual([last[0], last[1], last[3]], [next, today, P[who].login], 'the last row of 办理流程');
		if (note) assert.equal(last[4], note);
		assert.deepEqual(page.problems, []);
	};
	// record a fact (or a standard's finding) with the fact form
	const recordFact = async (who, name, value, { evidence = '', reason = '' } = {}) => {
		const page = P[who].page;
		await page.selectOption('#fact-name', name);
		await page.fill('#fact-value', value);
		await page.fill('#fact-evidence', evidence);
		await page.fill('#fact-reason', reason);
		await send(page, '#fact');
		const row = (await tableRows(page, '#facts table')).find((r) => r[0] === name);
		assert.ok(row, `${name} is not in the facts' table`);
		assert.deepEqual([row[1], row[2]], [value, P[who].login], `${name}: value, recorded by`);
		if (evidence) assert.equal(row[4], evidence, `${name}: evidence`);
	};

	before(async () => {
		browser = await launch();
		const keys = Object.keys(USERS);
		const made = await firstLogins(browser, keys.map((k) => ({
			...USERS[k], org: k === 'sib' ? env.sibling : env.org,
		})));
		keys.forEach((k, i) => { P[k] = made[i]; });
	});
	after(async () => {
		await browser?.close();
	});

	step(1, '新建案件 refuses a case naming neither an official nor a unit, next to the field', async () => {
		const page = P.prep.page;
		await page.goto(url('/cases'));
		assert.equal(await textOf(page, 'main .empty'), '没有符合条件的案件。', 'a case before the first');
		// the navigation leads there
		await submit(page, 'nav.menu a[href="/cases/new"]');
		assert.equal(pathOf(page), '/cases/new');
		assert.equal(await textOf(page, 'main h1'), '新建案件');
		await page.selectOption('#open-path', 'application');
		await page.selectOption('#open-handling', env.org);
		const resp = await submit(page, '#open button[type=submit]');
		assert.equal(resp.status(), 400);
		assert.equal(pathOf(page), '/cases');
		assert.deepEqual(await fieldErrors(page, '#open-person'), ['当事人与涉及单位至少填写一项。']);
		// what was chosen is kept
		assert.equal(await page.inputValue('#open-path'), 'application');
		assert.equal(await page.inputValue('#open-handling'), env.org);
		assert.deepEqual(takeStatusProblems(page, 400), [400]);
		await page.goto(url('/cases'));
		assert.equal(await textOf(page, 'main .empty'), '没有符合条件的案件。', 'a case was opened');
		assert.deepEqual(page.problems, []);
	});

	step(2, '新建案件 on application (依申请) opens the case at 启动', async () => {
		const page = P.prep.page;
		await page.goto(url('/cases/new'));
		await page.selectOption('#open-path', 'application');
		await selectByText(page, '#open-person', `${env.person}(${env.personPost}`);
		await page.selectOption('#open-source', '监管执法');
		await page.selectOption('#open-handling', env.org);
		await submit(page, '#open button[type=submit]');
		const m = /^\/cases\/([^/]+)$/.exec(pathOf(page));
		assert.ok(m, `the new case landed on ${page.url()}: ${await errors(page)}`);
		code = decodeURIComponent(m[1]);
		assert.match(code, new RegExp(`^${env.org}-\\d{4}-\\d{4}$`));
		assert.equal(await textOf(page, 'main h1'), `案件 ${code}`);
		assert.equal(await state(page), '启动');
		const dl = await page.$$eval('dl.facts dt', (dts) => Object.fromEntries(dts.map((dt) =>
			[dt.textContent.trim(), dt.nextElementSibling.textContent.replace(/\s+/g, ' ').trim()])));
		assert.equal(dl['当事人'], `${env.person}(${env.personPost})`);
		assert.equal(dl['启动方式'], '依申请');
		assert.equal(dl['案件来源'], '监管执法');
		assert.equal(dl['承办单位'], `${env.orgName}(${env.org})`);
		assert.deepEqual((await tableRows(page, '#steps table')).map((r) => [r[0], r[3]]),
			[['启动', P.prep.login]]);
		// an application may be withdrawn until decided
		assert.ok(await page.isVisible('#withdraw'), 'no 撤回申请 form on a case on application');
		assert.deepEqual(page.problems, []);
	});

	it('a user of the sibling county gets the 未找到 page for the case, as for no case at all', async () => {
		assert.ok(code, 'no case was opened');
		const page = P.sib.page;
		const looks = async (path) => {
			const resp = await page.goto(url(path));
			return {
				status: resp.status(),
				title: await page.title(),
				main: await page.innerHTML('main'),
			};
		};
		const theirs = await looks(casePath());
		const none = await looks(`/cases/${env.org}-0000-0000`);
		assert.equal(theirs.status, 404);
		assert.match(theirs.title, /^未找到 - /);
		assert.equal(await textOf(page, 'main h1'), '未找到');
		assert.deepEqual(theirs, none, 'the sibling\'s case is told apart from a missing one');
		assert.equal(theirs.main.includes(code), false, 'the 404 page names the case');
		assert.deepEqual(takeStatusProblems(page, 404), [404, 404]);
		// a form posted to it (the page offers none: a refusal is the point)
		// gets the same answer, and changes nothing
		const csrf = await csrfOf(page);
		const post = async (path) => {
			const r = await page.request.post(url(path), { form: { csrf, next: '受理', note: '' }, maxRedirects: 0 });
			return { status: r.status(), body: await r.text() };
		};
		const posted = await post(`${casePath()}/step`);
		assert.equal(posted.status, 404);
		assert.deepEqual(posted, await post(`/cases/${env.org}-0000-0000/step`));
		const prep = P.prep.page;
		await gotoCase(prep);
		assert.equal(await state(prep), '启动', 'the sibling moved the case');
		// nor is it in their lists
		await page.goto(url('/cases'));
		assert.equal((await page.content()).includes(code), false, 'the sibling\'s case list shows it');
		await page.goto(url('/tasks'));
		assert.equal((await page.content()).includes(code), false, 'the sibling\'s task list shows it');
		assert.deepEqual(page.problems, []);
	});

	step(3, '受理 and 调查核实 with 办理下一步骤', async () => {
		await advance('prep', '受理');
		await advance('prep', '调查核实', '成立调查组');
		// 我的任务 of the 承办单位 lists it at its step
		const page = P.prep.page;
		await submit(page, 'nav.menu a[href="/tasks"]');
		const row = (await tableRows(page, '#tasks')).find((r) => r[0] === code);
		assert.ok(row, 'the case is not in 我的任务');
		assert.equal(row[1], '调查核实');
		assert.equal(row[2], env.person);
	});

	step(4, 'a fact with its value emptied is refused next to the field, nothing recorded', async () => {
		const page = P.prep.page;
		await gotoCase(page);
		const audit = await auditCount(page);
		await page.selectOption('#fact-name', '损失金额');
		// the browser's own check would keep the form: take it away
		await page.$eval('#fact-value', (e) => e.removeAttribute('required'));
		await page.fill('#fact-value', '');
		await send(page, '#fact', { status: 400 });
		assert.deepEqual(await fieldErrors(page, '#fact-value'), ['此项必填。']);
		assert.deepEqual(await fieldErrors(page, '#fact-name'), []);
		assert.equal(await page.inputValue('#fact-name'), '损失金额', 'the choice was not kept');
		assert.deepEqual(takeStatusProblems(page, 400), [400]);
		await gotoCase(page);
		assert.equal(await textOf(page, '#facts .empty'), '尚未记录事实。');
		assert.equal(await auditCount(page), audit, 'an audit row for a refused form');
		assert.deepEqual(page.problems, []);
	});

	step(5, 'facts on the fact form, by the 承办单位 and by 纪检', async () => {
		const page = P.prep.page;
		await gotoCase(page);
		for (const name of ['营商环境领域', '突破常规探索', '失误发生日期', '损失金额'])
			await recordFact('prep', name, FACTS[name], { evidence: '调查报告-1' });
		// 纪检 performs 调查核实 too: the form is theirs as well
		await gotoCase(P.disc.page);
		await recordFact('disc', '谋取私利', FACTS['谋取私利'], { evidence: '银行流水-2' });
		// the 党委 does not: no form, a notice saying who does
		await gotoCase(P.party.page);
		assert.equal(await P.party.page.isVisible('#fact'), false, 'the 党委 is offered the fact form');
		assert.match(await textOf(P.party.page, 'header .notice'), /^当前步骤由 承办单位、纪检、组织 办理/);
		for (const k of ['prep', 'disc', 'party']) assert.deepEqual(P[k].page.problems, [], k);
	});

	step(6, '待查明的关键事实: the guided intake, one small form per fact that matters', async () => {
		const page = P.prep.page;
		await gotoCase(page);
		const asked = [];
		for (let round = 0; ; round++) {
			assert.ok(round < 30, `the intake never ends: ${asked.join(', ')}`);
			if (!(await page.isVisible('#intake ul.intake'))) break;
			const label = await textOf(page, '#intake ul.intake li label');
			const name = await page.getAttribute('#intake ul.intake li input[name=name]', 'value');
			assert.ok(!asked.includes(name), `the intake asks for ${name} again`);
			asked.push(name);
			const finding = FINDINGS[name];
			assert.ok(finding || name in FACTS, `the intake asks for ${name} (${label}), which e2e.sh never needed`);
			await page.fill('#intake ul.intake li input[name=value]', finding ? finding[0] : FACTS[name]);
			if (finding) {
				assert.match(label, /\[分析标准\]/, `${name} is a standard`);
				await page.fill('#intake ul.intake li input[name=reason]', finding[1]);
			}
			await send(page, '#intake ul.intake li:first-child form');
			const row = (await tableRows(page, '#facts table')).find((r) => r[0] === name);
			assert.ok(row, `${name}, recorded through the intake, is not in the facts' table`);
			assert.equal(row[1], finding ? finding[0] : FACTS[name], name);
			if (finding) assert.equal(row[6], finding[1], `${name}: the reason`);
		}
		assert.ok(asked.length > 0, 'the intake asked for nothing');
		assert.equal(await textOf(page, '#intake .empty'), UNKNOWN);
		assert.deepEqual(page.problems, []);
	});

	step(7, '生成系统建议: the recommendation, determined', async () => {
		const page = P.prep.page;
		await gotoCase(page);
		assert.equal(await page.isVisible('#assessment p:has-text("最近一次系统建议")'), false,
			'a recommendation before it was asked for');
		await page.fill('#recommend-conduct', FACTS['失误发生日期']);
		await page.fill('#recommend-decision', today);
		await send(page, '#recommend');
		const reco = await textOf(page, '#assessment p:has-text("最近一次系统建议")');
		assert.match(reco, /^最近一次系统建议:.*免于追究责任.*\(已确定,政策版本 /, reco);
		assert.deepEqual(page.problems, []);
	});

	step(8, '会商研判: a consultation with no minutes and a date that is none is refused next to the fields', async () => {
		await advance('prep', '会商研判');
		const page = P.prep.page;
		assert.ok(await page.isVisible('#consult'), 'no 会商研判 form at 会商研判');
		const audit = await auditCount(page);
		// the browser would neither send an empty required field nor a date
		// that is none: take its checks away
		await page.$eval('#consult-minutes', (e) => e.removeAttribute('required'));
		await page.$eval('#consult-held_on', (e) => { e.type = 'text'; });
		await page.fill('#consult-held_on', `${today.slice(0, 4)}-02-30`);
		await send(page, '#consult', { status: 400 });
		assert.deepEqual(await fieldErrors(page, '#consult-held_on'),
			['请填写日期,格式为 YYYY-MM-DD(如 2026-03-01)。']);
		assert.deepEqual(await fieldErrors(page, '#consult-minutes'), ['此项必填。']);
		assert.deepEqual(takeStatusProblems(page, 400), [400]);
		await gotoCase(page);
		assert.equal(await state(page), '会商研判');
		assert.ok(await page.isVisible('#consult'), 'the consultation was recorded');
		assert.equal(await auditCount(page), audit, 'an audit row for a refused form');
		assert.deepEqual(page.problems, []);
	});

	step(9, '会商研判: the meeting, its participants (one recused), the opinions of each department', async () => {
		const page = P.prep.page;
		await page.fill('#consult-held_on', today);
		await page.fill('#consult-minutes', '会商纪要:多数意见认为符合容错情形,组织部门有不同意见');
		await send(page, '#consult');
		assert.equal(await textOf(page, '#consultation > p'),
			`会商日期 ${today},会议纪要:会商纪要:多数意见认为符合容错情形,组织部门有不同意见`);
		for (const [dept, name, reason] of [['纪检', '张纪'], ['组织', '李组'], ['信访', '王信'],
			['审计', '赵审', '与当事人系近亲属']]) {
			await page.selectOption('#participant-dept', dept);
			await page.fill('#participant-name', name);
			if (reason) {
				await page.check('#participant-recused');
				await page.fill('#participant-reason', reason);
			}
			await send(page, '#participant');
		}
		assert.deepEqual(await tableRows(page, '#consultation > table:nth-of-type(1)'), [
			['纪检', '张纪', '否', '—'], ['组织', '李组', '否', '—'], ['信访', '王信', '否', '—'],
			['审计', '赵审', '是', '与当事人系近亲属'],
		]);
		// each department's opinion, 纪检's and 组织's by their own users
		const opinion = async (who, dept, text, dissent = '') => {
			const pg = P[who].page;
			await gotoCase(pg);
			await pg.selectOption('#opinion-dept', dept);
			await pg.fill('#opinion-opinion', text);
			await pg.fill('#opinion-dissent', dissent);
			await send(pg, '#opinion');
			assert.deepEqual(pg.problems, [], who);
		};
		await opinion('disc', '纪检', '符合容错情形,建议免于追究');
		await opinion('organ', '组织', '同意容错', '李组认为程序不全,应从轻追究');
		await gotoCase(page);
		assert.deepEqual(await tableRows(page, '#consultation > table:nth-of-type(2)'), [
			['纪检', '符合容错情形,建议免于追究', '—', P.disc.login],
			['组织', '同意容错', '李组认为程序不全,应从轻追究', P.organ.login],
		]);
		assert.deepEqual(page.problems, []);
	});

	it('at 会商研判 the 承办单位 is not offered 认定, which the 党委 performs', async () => {
		assert.ok(reached >= 9, 'step 9 did not pass');
		const page = P.prep.page;
		await gotoCase(page);
		assert.equal(await state(page), '会商研判');
		const offered = await page.$$eval('#step-next option', (os) => os.map((o) => o.value).filter(Boolean));
		if (offered.includes('认定')) {
			// what choosing it does, for the message (a refusal: nothing changes)
			await page.selectOption('#step-next', '认定');
			const resp = await submit(page, '#step button[type=submit]');
			const said = `${resp.status()} ${await errors(page)}`;
			takeStatusProblems(page, 409);
			assert.fail(`the 承办单位's 办理下一步骤 offers 认定, whose role is 党委; choosing it: ${said}`);
		}
		assert.deepEqual(page.problems, []);
	});

	step(10, '会商研判 is not left before 信访 gave its opinion; then the 党委 takes the case to 认定', async () => {
		const page = P.party.page;
		await gotoCase(page);
		assert.ok(await page.isVisible('#step'),
			`the 党委 user, who performs 认定, is offered no 办理下一步骤 form at 会商研判 ` +
			`(the page says: ${await textOf(page, 'header .notice').catch(() => '')})`);
		const audit = await auditCount(page);
		await page.selectOption('#step-next', '认定');
		await send(page, '#step', { status: 409 });
		assert.equal(await textOf(page, '#step .error'),
			`refused: case ${code} cannot leave '会商研判' until 纪检、组织、信访、审计 have each given ` +
			'a written opinion or recorded a recusal; missing: 信访');
		assert.deepEqual(takeStatusProblems(page, 409), [409]);
		await gotoCase(page);
		assert.equal(await state(page), '会商研判');
		assert.equal(await auditCount(page), audit, 'an audit row for a refused step');
		// 信访's opinion, written by the 承办单位
		const prep = P.prep.page;
		await gotoCase(prep);
		await prep.selectOption('#opinion-dept', '信访');
		await prep.fill('#opinion-opinion', '无相关信访件');
		await send(prep, '#opinion');
		assert.equal((await tableRows(prep, '#consultation > table:nth-of-type(2)')).length, 3);
		assert.deepEqual(prep.problems, []);
		await advance('party', '认定', '提交党委集体研究');
		assert.ok(await page.isVisible('#decide'), 'no 记录认定决定 form for the 党委 at 认定');
		assert.deepEqual(page.problems, []);
	});

	step(11, 'four eyes: the decision posted by the user who prepared the case is refused at the form', async () => {
		const page = P.prep.page;
		await gotoCase(page);
		assert.equal(await page.isVisible('#decide'), false, 'the preparer is offered the decision form');
		const audit = await auditCount(page);
		// The page offers them no form: post one, as a user who kept the
		// form of another page would, in the browser (a refusal is the point).
		await page.evaluate(({ action, csrf, meeting }) => {
			const f = document.createElement('form');
			f.method = 'post';
			f.action = action;
			f.id = 'forged-decide';
			for (const [k, v] of Object.entries({ csrf, outcome: '免于追究责任', meeting,
				basis: '实施办法', reasons: '', sanction_table: '', sanction: '' })) {
				const i = document.createElement('input');
				i.type = 'hidden';
				i.name = k;
				i.value = v;
				f.append(i);
			}
			const b = document.createElement('button');
			b.type = 'submit';
			b.textContent = '记录决定';
			f.append(b);
			document.body.append(f);
		}, { action: `${casePath()}/decision`, csrf: await csrfOf(page), meeting: today });
		const resp = await submit(page, '#forged-decide button');
		assert.equal(resp.status(), 409);
		assert.equal(pathOf(page), `${casePath()}/decision`);
		// The procedure's message, at the decision form.  On the shipped
		// policy the preparer's role (承办单位, the roles of 启动) never
		// performs 认定, so the role refuses them before four eyes would (as in
		// tests/cli/e2e.sh; its two-eyes policy shows the four-eyes message).
		const msg = `refused: user '${P.prep.login}' (role '承办单位') does not perform step '认定' for this case`;
		assert.ok(await page.isVisible('#decide .error'),
			`the refusal is not shown at the decision form; the page's messages: '${await errors(page)}'`);
		assert.equal(await textOf(page, '#decide .error'), msg);
		assert.deepEqual(takeStatusProblems(page, 409), [409]);
		// nothing changed
		await gotoCase(page);
		assert.equal(await state(page), '认定');
		assert.equal(await textOf(page, '#decision .empty'), '尚未作出认定决定。');
		assert.equal(await auditCount(page), audit, 'an audit row for a refused decision');
		assert.deepEqual(page.problems, []);
	});

	step(12, 'four eyes: another user, of the 党委, records the decision', async () => {
		const page = P.party.page;
		await gotoCase(page);
		await page.selectOption('#decide-outcome', '免于追究责任');
		await page.fill('#decide-meeting', today);
		await page.fill('#decide-basis', '浙江省容错纠错实施办法');
		await send(page, '#decide');
		const rows = await tableRows(page, '#decision table');
		assert.deepEqual(rows, [['免于追究责任', today, '浙江省容错纠错实施办法', '—', '否', P.party.login]]);
		assert.equal(await page.isVisible('#decide'), false, 'the decision form after the decision');
		assert.deepEqual(page.problems, []);
	});

	step(13, '告知: the 承办单位 notifies the official', async () => {
		await advance('prep', '告知');
		const page = P.prep.page;
		await page.fill('#notice-to', env.person);
		await page.fill('#notice-on', today);
		await page.selectOption('#notice-how', '书面');
		await send(page, '#notice');
		assert.deepEqual(await tableRows(page, '#notices table'),
			[[env.person, today, '书面', P.prep.login]]);
		assert.deepEqual(page.problems, []);
	});

	step(14, '申诉复核: the official\'s appeal, and its review by the 党委', async () => {
		await advance('prep', '申诉复核');
		const page = P.prep.page;
		assert.equal(await page.isVisible('#review'), false, 'a review form before the appeal');
		await page.fill('#appeal-on', today);
		await page.fill('#appeal-by', env.person);
		await page.fill('#appeal-grounds', '认为程序瑕疵未影响实体结果');
		await send(page, '#appeal');
		assert.match(await textOf(page, '#appeal > p'),
			new RegExp(`^${today} 由 ${env.person} 申诉\\(期限 \\d{4}-\\d\\d-\\d\\d\\):认为程序瑕疵未影响实体结果$`));
		assert.equal(await page.isVisible('#appeal-on'), false, 'the appeal form after the appeal');
		const party = P.party.page;
		await gotoCase(party);
		await party.fill('#review-on', today);
		await party.selectOption('#review-result', '维持');
		await party.fill('#review-reasons', '经复核,原认定事实清楚,维持原决定');
		await send(party, '#review');
		assert.deepEqual(await textsOf(party, '#appeal > p'), [
			await textOf(page, '#appeal > p'),
			`复核(${today}):维持。经复核,原认定事实清楚,维持原决定`,
		]);
		assert.equal(await party.isVisible('#review'), false, 'the review form after the review');
		for (const k of ['prep', 'party']) assert.deepEqual(P[k].page.problems, [], k);
	});

	step(15, '结果运用 by 组织, 备案 with the city', async () => {
		await advance('organ', '结果运用');
		await advance('prep', '备案');
		const page = P.prep.page;
		await page.fill('#filing-org', env.city);
		await page.fill('#filing-on', today);
		await send(page, '#filing');
		const rows = await tableRows(page, '#filings table');
		assert.equal(rows.length, 1);
		assert.deepEqual([rows[0][1], rows[0][2]], [today, P.prep.login]);
		assert.deepEqual(page.problems, []);
	});

	step(16, '纠错: a task added, and marked done, verified by another user than its creator', async () => {
		await advance('prep', '纠错');
		const page = P.prep.page;
		const due = isoDate(60);
		await page.fill('#task-owner', '某局办公室');
		await page.fill('#task-due', due);
		await page.fill('#task-what', '修订审批流程,补齐集体研究材料');
		await send(page, '#task');
		assert.deepEqual(await tableRows(page, '#rectification table'),
			[['1', '某局办公室', due, '修订审批流程,补齐集体研究材料', '—', '—']]);
		assert.ok(await page.isVisible('#task-1-done'), 'no form to mark task 1 done');
		// its creator may not verify it
		const audit = await auditCount(page);
		await page.fill('#task-1-done-on', today);
		await page.fill('#task-1-done-verifier', P.prep.login);
		await send(page, '#task-1-done', { status: 409 });
		assert.equal(await textOf(page, '#task-1-done .error'),
			`refused: task 1 of case ${code} was set by '${P.prep.login}'; its completion must be ` +
			'verified by another user (--verified-by)');
		assert.deepEqual(takeStatusProblems(page, 409), [409]);
		await gotoCase(page);
		assert.equal(await auditCount(page), audit, 'an audit row for a refused completion');
		assert.equal((await tableRows(page, '#rectification table'))[0][4], '—', 'task 1 is done');
		// another user verifies it
		await page.fill('#task-1-done-on', today);
		await page.fill('#task-1-done-verifier', P.party.login);
		await send(page, '#task-1-done');
		assert.deepEqual(await tableRows(page, '#rectification table'),
			[['1', '某局办公室', due, '修订审批流程,补齐集体研究材料', today, P.party.login]]);
		assert.equal(await page.isVisible('#task-1-done'), false, 'the done form after it was done');
		assert.equal(await state(page), '纠错');
		assert.deepEqual(page.problems, []);
	});

	it('screenshots: 我的任务 and the case file', async () => {
		assert.ok(code, 'no case was opened');
		const page = P.prep.page;
		page.problems.splice(0); // a failed step's leftovers are that step's failure
		await page.goto(url('/tasks'));
		assert.equal(await textOf(page, 'main h1'), '我的任务');
		await screenshot(page, 'tasks');
		await gotoCase(page);
		await screenshot(page, 'case');
		assert.deepEqual(page.problems, []);
	});
});
