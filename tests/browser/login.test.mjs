// The log-in in a real browser: a user without an authenticator logs in
// with their one-time password, is shown a TOTP secret once, enrols with a
// code, logs in with the next code, must change the password, and reaches
// 首页 with their name, login, role and organisation; 退出 ends the session
// on the server (the old cookie put back is refused at the next request); a
// wrong or a replayed code gets the one generic failure.  Screenshots of the
// log-in page and 首页 go to $ARTIFACTS (never of the enrolment page: it
// shows the secret).
//
// The steps share one browser context and depend on each other, in order:
// when one fails, the later ones fail too, saying so.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
	env, url, launch, newPage, submit, pathOf, screenshot, sessionCookie,
	freshCode, lastStep, totp, wrongCode, login, setPassword,
} from './lib.mjs';

// procedure.h: RC_AUTH_FAILED, the one message of every failed log-in
const AUTH_FAILED = '登录失败:用户名、密码或动态口令不正确 (login failed)';

describe('first log-in of a user without an authenticator', () => {
	let browser, context, page;
	let secret = '';
	let password = env.password;
	const newPassword = `新的密码 ${Math.random().toString(36).slice(2, 10)} 浏览器`;
	let reached = 0; // the last step that passed: each step needs the one before

	const step = (n, name, fn, timeout = 30_000) =>
		it(name, { timeout }, async () => {
			assert.equal(reached, n - 1, `step ${n - 1} did not pass`);
			await fn();
			reached = n;
		});
	// the text of the element, whitespace squeezed
	const text = async (sel) => (await page.textContent(sel)).replace(/\s+/g, ' ').trim();

	before(async () => {
		browser = await launch();
		({ context, page } = await newPage(browser));
	});
	after(async () => {
		await browser?.close();
	});

	step(1, 'the log-in page renders, styled, without complaints', async () => {
		const resp = await page.goto(url('/login'));
		assert.equal(resp.status(), 200);
		assert.match(await page.title(), /^登录 - 容错纠错案件管理系统$/);
		assert.equal(await text('main h1'), '登录');
		for (const f of ['#login', '#password', '#code']) assert.ok(await page.isVisible(f), f);
		assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
		// the style sheet reached the page past the CSP (no inline style)
		const bg = await page.$eval('header.top', (e) => getComputedStyle(e).backgroundColor);
		assert.equal(bg, 'rgb(155, 28, 28)');
		assert.equal(await page.isVisible('.error'), false, 'an error before anything was typed');
		assert.ok((await context.cookies(env.baseURL)).some((c) => c.name === 'rc_pre'),
			'no pre-session cookie');
		await screenshot(page, 'login');
		assert.deepEqual(page.problems, []);
	});

	step(2, 'the one-time password leads to the enrolment, the secret shown once', async () => {
		await page.fill('#login', env.login);
		await page.fill('#password', password);
		await submit(page, 'form[action="/login"] button[type=submit]');
		assert.equal(await text('main h1'), '绑定动态口令');
		assert.equal(await sessionCookie(context), undefined, 'a session before the second factor');
		secret = (await text('.secret code'));
		assert.match(secret, /^[A-Z2-7]{32}$/, 'a 160-bit base32 secret');
		const uri = new URL(await text('.uri code'));
		assert.equal(uri.protocol, 'otpauth:');
		assert.equal(uri.searchParams.get('secret'), secret);
		// what the codes here assume, if the URI says
		for (const [k, v] of [['algorithm', 'SHA1'], ['digits', '6'], ['period', '30']])
			if (uri.searchParams.has(k)) assert.equal(uri.searchParams.get(k), v, k);
		assert.ok(decodeURIComponent(uri.pathname).includes(env.login), 'the URI names the account');
	});

	step(3, 'a wrong code at the enrolment: the form again, the secret not shown twice', async () => {
		await page.fill('#code', wrongCode(secret));
		await submit(page, 'form[action="/enrol"] button[type=submit]');
		assert.equal(await text('main h1'), '绑定动态口令');
		assert.equal(await text('.error'), AUTH_FAILED);
		assert.equal(await page.isVisible('.secret'), false, 'the secret shown again');
		assert.equal((await page.content()).includes(secret), false, 'the secret is in the page');
	});

	step(4, 'the current code confirms the enrolment', async () => {
		await page.fill('#code', (await freshCode(secret)).code);
		await submit(page, 'form[action="/enrol"] button[type=submit]');
		assert.equal(pathOf(page), '/enrol');
		assert.equal(await text('main h1'), '登录');
		assert.match(await text('.notice'), /^动态口令已绑定/);
		assert.equal(await sessionCookie(context), undefined, 'a session from the enrolment alone');
	});

	step(5, 'the next code logs in, and the password must be changed first', async () => {
		const used = lastStep(secret);
		const resp = await login(page, env.login, password, secret);
		assert.ok(lastStep(secret) > used, 'the code was of the enrolment\'s step');
		assert.equal(pathOf(page), '/password');
		assert.equal(resp.status(), 200);
		const post = resp.request().redirectedFrom();
		assert.equal(post?.method(), 'POST', 'not the redirect of the log-in');
		assert.equal((await post.response()).status(), 303);
		const sc = await sessionCookie(context);
		assert.ok(sc, 'no session cookie');
		assert.match(sc.value, /^[0-9a-f]{32}$/);
		assert.equal(sc.httpOnly, true);
		assert.equal(sc.sameSite, 'Strict');
		assert.equal(sc.expires, -1, 'a session cookie has no expiry');
		assert.match(await text('.notice'), /请先设置新密码/);
		// 首页 is not reachable before the change
		await page.goto(url('/'));
		assert.equal(pathOf(page), '/password');
	}, 60_000);

	step(6, 'the new password typed twice differently is refused next to the field', async () => {
		await page.fill('#new', newPassword);
		await page.fill('#again', `${newPassword}x`);
		const resp = await submit(page, 'form[action="/password"] button[type=submit]');
		assert.equal(resp.status(), 400);
		assert.equal(await text('.field-error'), '两次输入的新密码不一致。');
		// Chromium logs every 4xx page it is given; this one was asked for
		assert.deepEqual(page.problems.splice(0).map((p) => /status of 400/.test(p)), [true]);
		// the browser's own check (minlength) keeps a short one from being sent at all
		await page.fill('#new', '短');
		await page.fill('#again', '短');
		assert.equal(await page.$eval('#new', (e) => e.checkValidity()), false);
	});

	step(7, 'the password change leads to 首页, which names the user', async () => {
		await setPassword(page, newPassword);
		password = newPassword;
		assert.equal(pathOf(page), '/');
		assert.equal(await text('main h1'), '首页');
		const dl = await page.$$eval('dl.who dt', (dts) =>
			Object.fromEntries(dts.map((dt) => [dt.textContent.trim(),
				dt.nextElementSibling.textContent.trim()])));
		assert.deepEqual(dl, {
			'姓名': env.name,
			'用户名': env.login,
			'角色': env.role,
			'所属组织': `${env.orgName}(${env.org})`,
		});
		// the name is text, whatever it holds: the page made no element of it
		assert.equal(await page.$$eval('dl.who dd b, dl.who dd i', (els) => els.length), 0);
		// the navigation names who is logged in (it may add the role)
		const who = await text('header .who');
		assert.ok(who.startsWith(env.login), `the navigation says '${who}'`);
		assert.ok(await page.isVisible('form.logout button'), 'no 退出 button');
		await screenshot(page, 'home');
		assert.deepEqual(page.problems, []);
	});

	step(8, '退出 ends the session at the next request', async () => {
		const old = await sessionCookie(context);
		assert.ok(old, 'no session before 退出');
		await submit(page, 'form.logout button');
		assert.equal(pathOf(page), '/login');
		assert.equal(await sessionCookie(context), undefined, 'the cookie was not deleted');
		await page.goto(url('/'));
		assert.equal(pathOf(page), '/login', '首页 after 退出');
		// the server forgot it, too: the old cookie put back is refused
		await context.addCookies([{ ...old }]);
		assert.equal((await sessionCookie(context))?.value, old.value);
		await page.goto(url('/'));
		assert.equal(pathOf(page), '/login', 'the old session still opens 首页');
		assert.equal(await sessionCookie(context), undefined, 'the dead cookie was not deleted');
	});

	step(9, 'a wrong code, and a code used before, get the one generic failure', async () => {
		for (const [what, code] of [
			['a wrong code', wrongCode(secret)],
			['the code of the log-in, again', totp(secret, lastStep(secret))],
		]) {
			await page.goto(url('/login'));
			await page.fill('#login', env.login);
			await page.fill('#password', password);
			await page.fill('#code', code);
			const resp = await submit(page, 'form[action="/login"] button[type=submit]');
			assert.equal(resp.status(), 200, what);
			assert.equal(pathOf(page), '/login', what);
			assert.equal(await text('main h1'), '登录', what);
			assert.equal(await text('.error'), AUTH_FAILED, what);
			assert.equal(await sessionCookie(context), undefined, `${what}: a session`);
			// nothing typed comes back
			assert.equal(await page.inputValue('#login'), '', `${what}: the login kept`);
			assert.equal((await text('main')).includes(env.login), false, `${what}: the login shown`);
		}
		assert.deepEqual(page.problems, []);
	});
});
