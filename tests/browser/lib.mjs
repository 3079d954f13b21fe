// lib.mjs -- what the browser tests share: the environment tests/browser/run.sh
// gives them, Debian's Chromium through playwright-core, TOTP codes (RFC 6238)
// that are never used twice, the log-in steps, screenshots, and accounts made
// with the rongcuo command.  docs/testing-browser.md says how to add a test.
//
// Not a test itself: run.sh runs tests/browser/*.test.mjs only.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

// ---- the environment (run.sh sets it) ---------------------------------------

function need(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set: run the tests with tests/browser/run.sh BUILD_DIR`);
	return v;
}

/** What run.sh made: the server, one case-handling user, the data directory. */
export const env = {
	get baseURL() { return need('RC_BASE_URL'); },          // http://127.0.0.1:PORT
	get login() { return need('RC_LOGIN'); },               // a 承办单位 user, never logged in
	get password() { return need('RC_PASSWORD'); },         // their one-time password (must change)
	get name() { return need('RC_NAME'); },
	get role() { return need('RC_ROLE'); },
	get org() { return need('RC_ORG'); },                    // the user's organisation's code
	get orgName() { return need('RC_ORG_NAME'); },
	get city() { return need('RC_CITY'); },                  // the city above env.org
	get sibling() { return need('RC_SIBLING'); },            // a county beside env.org
	get person() { return need('RC_PERSON'); },              // an official of env.org
	get personPost() { return need('RC_PERSON_POST'); },    // their post
	get bin() { return need('RC_BIN'); },                    // the rongcuo binary (absolute)
	get data() { return need('RC_DATA'); },                  // the server's data directory
	get artifacts() { return need('ARTIFACTS'); },          // where screenshots go
	get chromium() { return process.env.RC_CHROMIUM || '/usr/bin/chromium'; },
};

/** The absolute address of a path on the server under test. */
export const url = (path) => new URL(path, env.baseURL).href;

// ---- Chromium ----------------------------------------------------------------

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Debian's Chromium, headless.  The sandbox is on except as root, where
 * Chromium refuses to start with it (Playwright then passes --no-sandbox).
 * The other flags keep it off the network it has no business on (this
 * machine's network is closed: background requests only fail) and off
 * /dev/shm, which is small in a container.
 */
export async function launch() {
	return chromium.launch({
		executablePath: env.chromium,
		headless: true,
		chromiumSandbox: !asRoot,
		args: [
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--no-first-run',
			'--no-proxy-server',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-quic',
		],
	});
}

/**
 * A fresh context (its own cookies) and page, 1366x768 as the pages are
 * designed for, in Chinese.  page.problems collects what the browser
 * complained of: console errors (a CSP violation is one), uncaught page
 * errors, requests that failed; a test asserts it is empty.
 */
export async function newPage(browser) {
	const context = await browser.newContext({
		viewport: { width: 1366, height: 768 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
	});
	const page = await context.newPage();
	page.setDefaultTimeout(10_000);
	page.setDefaultNavigationTimeout(15_000);
	page.problems = [];
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const where = m.location()?.url || '';
		// The server has no /favicon.ico (yet): Chromium asks for one on every
		// page and logs the 404.  Only that one is let through.
		if (new URL(where || 'about:blank').pathname === '/favicon.ico' && /404/.test(m.text()))
			return;
		page.problems.push(`console: ${m.text()}${where ? ` (${where})` : ''}`);
	});
	page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) =>
		page.problems.push(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
	return { context, page };
}

/**
 * Click what submits a form (or follows a link) and wait for the page it
 * leads to: the response of the last request of the navigation (after any
 * redirects), loaded.
 */
export async function submit(page, selector) {
	const nav = page.waitForNavigation({ waitUntil: 'load' });
	await page.click(selector);
	return nav;
}

/** The path of the page shown (no query). */
export const pathOf = (page) => new URL(page.url()).pathname;

/** A full-page screenshot, ARTIFACTS/NAME.png; returns its path. */
export async function screenshot(page, name) {
	mkdirSync(env.artifacts, { recursive: true });
	const path = join(env.artifacts, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

/** The session cookie of a context, or undefined. */
export async function sessionCookie(context) {
	return (await context.cookies(env.baseURL)).find((c) => c.name === 'rc_session');
}

// ---- TOTP (RFC 6238: HMAC-SHA1, 30-second steps from 0, 6 digits) ------------

export const PERIOD_MS = 30_000;

/** RFC 4648 base32 (no padding needed; spaces, dashes and case ignored). */
export function base32Decode(text) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	const s = text.toUpperCase().replace(/[\s=-]/g, '');
	let bits = 0, value = 0;
	const out = [];
	for (const ch of s) {
		const i = alphabet.indexOf(ch);
		if (i < 0) throw new Error(`not base32: '${ch}'`);
		value = (value << 5) | i;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/** The code of one time step (HOTP of the step, RFC 4226). */
export function totp(secret, step, digits = 6) {
	const key = typeof secret === 'string' ? base32Decode(secret) : secret;
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const mac = createHmac('sha1', key).update(msg).digest();
	const off = mac[mac.length - 1] & 0x0f;
	const bin = mac.readUInt32BE(off) & 0x7fffffff;
	return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The time step at a time (ms since the epoch). */
export const stepAt = (ms = Date.now()) => Math.floor(ms / PERIOD_MS);

// The last step whose code was handed out, by secret: the server takes a
// code once (a later code refuses the earlier ones too), so a code is only
// handed out for a later step.
const spent = new Map();

/** The last step handed out for a secret, or -1. */
export const lastStep = (secret) => spent.get(secret) ?? -1;

/**
 * A code the server has not seen, as the user's authenticator would show
 * it: the current step's, or -- when that step was already handed out (the
 * enrolment spends the step it happens in) -- the next step's, waiting for
 * that step to begin.  The wait is computed from the clock (at most one
 * step, and refused beyond maxWaitMs): it is a condition of correctness,
 * never a timing assertion.  Returns { code, step, waitedMs }.
 */
export async function freshCode(secret, { maxWaitMs = 35_000 } = {}) {
	const last = lastStep(secret);
	let now = Date.now();
	let waitedMs = 0;
	if (stepAt(now) <= last) {
		// a quarter of a second into the step: the server reads its own
		// clock after ours, so no earlier
		const wait = (last + 1) * PERIOD_MS + 250 - now;
		if (wait > maxWaitMs)
			throw new Error(`the next unused TOTP step is ${wait} ms away (over ${maxWaitMs})`);
		await sleep(wait);
		waitedMs = wait;
		now = Date.now();
	}
	const step = Math.max(stepAt(now), last + 1);
	spent.set(secret, step);
	return { code: totp(secret, step), step, waitedMs };
}

/**
 * A six-digit code that is no code of the secret's anywhere near now (the
 * server accepts the step before and after), so it can only be refused.
 */
export function wrongCode(secret) {
	const s = stepAt();
	const near = new Set([-2, -1, 0, 1, 2].map((d) => totp(secret, s + d)));
	for (let n = 0; ; n++) {
		const c = String((n * 142_857) % 1_000_000).padStart(6, '0');
		if (!near.has(c)) return c;
	}
}

// ---- the log-in --------------------------------------------------------------

/**
 * Log in on /login: user name, password and -- when a secret is given -- a
 * fresh code (freshCode: waits for the next step if this one is spent);
 * with no secret the code is left empty (a user without an authenticator).
 * Returns the response of the page it lands on.
 */
export async function login(page, user, password, secret) {
	await page.goto(url('/login'));
	await page.fill('#login', user);
	await page.fill('#password', password);
	await page.fill('#code', secret ? (await freshCode(secret)).code : '');
	return submit(page, 'form[action="/login"] button[type=submit]');
}

/**
 * On the enrolment page: read the secret, confirm it with the current code.
 * Returns the secret (base32).  Leaves the page on /login with its notice.
 */
export async function enrol(page) {
	const secret = (await page.textContent('.secret code')).trim();
	await page.fill('#code', (await freshCode(secret)).code);
	await submit(page, 'form[action="/enrol"] button[type=submit]');
	return secret;
}

/** On /password: set a new password (typed twice). */
export async function setPassword(page, password) {
	await page.fill('#new', password);
	await page.fill('#again', password);
	return submit(page, 'form[action="/password"] button[type=submit]');
}

/**
 * The whole first log-in of a user made with a one-time password
 * (addUser): enrolment, log-in with the next code, the forced password
 * change.  Leaves the page on 首页 with a session; returns the secret.  Costs
 * up to one TOTP step (30 s) of waiting.  For a test that needs a logged-in
 * user; login.test.mjs checks each step.
 */
export async function firstLogin(page, user, oneTimePassword, newPassword) {
	await login(page, user, oneTimePassword, null);
	if (pathOf(page) !== '/login' || !(await page.isVisible('.secret code')))
		throw new Error(`${user}: no enrolment page after the one-time password`);
	const secret = await enrol(page);
	await login(page, user, oneTimePassword, secret);
	if (pathOf(page) !== '/password')
		throw new Error(`${user}: log-in with the next code landed on ${page.url()}`);
	await setPassword(page, newPassword);
	if (pathOf(page) !== '/')
		throw new Error(`${user}: the password change landed on ${page.url()}`);
	return secret;
}

// ---- accounts, with the rongcuo command ----------------------------------------

/** Run rongcuo on the server's data directory; its stdout. */
export function rongcuo(args, input) {
	return execFileSync(env.bin, [...args, '--data', env.data], {
		input,
		encoding: 'utf8',
		stdio: ['pipe', 'pipe', 'pipe'],
	});
}

/**
 * A new user with a one-time password (to be changed at the first
 * log-in), as an administrator would make one.  Each test file makes the
 * users it logs in with: a log-in spends TOTP steps and a password change
 * revokes the user's other sessions, so users are not shared between files
 * (which may run at the same time).  Returns { login, password }.
 */
export function addUser({ login, name, org = env.org, role = env.role }) {
	const password = `一次性 ${login} ${Math.random().toString(36).slice(2, 12)}`;
	rongcuo(['user', 'add', login, name, '--org', org, '--role', role]);
	rongcuo(['user', 'passwd', login, '--must-change'], `${password}\n`);
	return { login, password };
}

/**
 * The first log-in of several new users at once, each in a browser context
 * of its own: the enrolments run side by side, so the wait for the next
 * TOTP step is paid once (up to 30 s), not once per user.  users:
 * [{login, name, org?, role?}], made here with addUser.  Returns, in the
 * same order, { login, password, secret, context, page } -- the page on
 * 首页, logged in, its password changed to `${login} 的新密码 …`.
 */
export async function firstLogins(browser, users) {
	return Promise.all(users.map(async (u) => {
		const { login: user, password: oneTime } = addUser(u);
		const { context, page } = await newPage(browser);
		const password = `${user} 的新密码 ${Math.random().toString(36).slice(2, 10)}`;
		const secret = await firstLogin(page, user, oneTime, password);
		return { login: user, password, secret, context, page };
	}));
}

// ---- reading pages -------------------------------------------------------------

/** Whitespace squeezed, ends trimmed. */
export const squeeze = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * Chinese full-width punctuation (，：；（）！？) as its ASCII form: for
 * comparing texts whose punctuation is the pages' typographic choice, not
 * what a test is about.
 */
export const plain = (s) => s.replace(/[，：；（）！？]/g, (c) => ({
	'，': ',', '：': ':', '；': ';', '（': '(', '）': ')', '！': '!', '？': '?',
})[c]);

/** The text of the first element matching the selector, squeezed. */
export async function textOf(page, selector) {
	return squeeze(await page.textContent(selector));
}

/** The texts of every element matching the selector, squeezed (none: []). */
export async function textsOf(page, selector) {
	return page.$$eval(selector, (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
}

/**
 * The body rows of a table as arrays of cell texts, squeezed; [] when no
 * element matches (the pages show an "empty" paragraph instead of an empty
 * table).  `selector` names the table.
 */
export async function tableRows(page, selector) {
	return page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) =>
		[...tr.cells].map((td) => td.textContent.replace(/\s+/g, ' ').trim())));
}

/**
 * The messages shown next to a form field (the .field-error paragraphs
 * that follow it before the next field begins): the server's answer to a
 * value it refused.  `selector` names the input, select or text area.
 */
export async function fieldErrors(page, selector) {
	return page.$eval(selector, (field) => {
		const out = [];
		// a check box sits inside its label: start from the label
		let n = field.closest('label') || field;
		for (n = n.nextElementSibling; n; n = n.nextElementSibling) {
			if (n.matches('label, input, select, textarea, button')) break;
			if (n.matches('.field-error')) out.push(n.textContent.trim());
		}
		return out;
	});
}

/** The CSRF token of the page's session (every page with a form has it). */
export async function csrfOf(page) {
	return page.getAttribute('input[name=csrf]', 'value');
}

/**
 * Take out of page.problems the console errors Chromium logs for pages
 * the server answered with these statuses (a test asked for them, e.g. a
 * refusal, 409); returns the statuses taken out, in order.
 */
export function takeStatusProblems(page, ...statuses) {
	const taken = [];
	page.problems = page.problems.filter((p) => {
		const m = /^console: Failed to load resource: the server responded with a status of (\d+)/.exec(p);
		if (m && statuses.includes(Number(m[1]))) {
			taken.push(Number(m[1]));
			return false;
		}
		return true;
	});
	return taken;
}

/** A date as the server's forms take it (YYYY-MM-DD, local time), days from today. */
export function isoDate(days = 0) {
	const d = new Date();
	d.setDate(d.getDate() + days);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
