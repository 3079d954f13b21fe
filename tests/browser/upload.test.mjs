// A policy version uploaded with the file chooser of /admin/policies, in a
// real browser and without JavaScript of ours: the 系统管理员 chooses
// a copy of policies/zhejiang-2022-test.rcp, 检查 sends the form as
// multipart/form-data (its CSRF token a part like the file), and the page
// shows the check's result, the file's name and the activation form
// carrying the checked text.  A file that is not UTF-8 is refused next to
// the chooser (400).  Nothing is activated: the server of run.sh activates
// into the source tree's policies/, which a test must not write.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	launch, newPage, addUser, firstLogin, url, pathOf, submit, screenshot, squeeze,
	fieldErrors, takeStatusProblems,
} from './lib.mjs';

// The server has loaded policies/ (both versions): a version is never
// checked in twice, so the file chosen is the 2022 test version under a
// version of its own.
const dir = mkdtempSync(join(tmpdir(), 'rc-upload-'));
const POLICY = join(dir, 'zhejiang-upload.rcp');
writeFileSync(POLICY, readFileSync(new URL('../../policies/zhejiang-2022-test.rcp', import.meta.url),
	'utf8').replace('version      "2022.01-test"', 'version      "2022.01-upload"'));

describe('政策版本: upload a policy file', () => {
	let browser, page;
	before(async () => {
		browser = await launch();
		({ page } = await newPage(browser));
		// the administrators sit at the root (三员分立)
		const u = addUser({ login: 'upload-sys', name: '张三', org: 'ZJ', role: '系统管理员' });
		await firstLogin(page, u.login, u.password, 'upload-sys 的新密码 2026');
	});
	after(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('checks the file chosen and shows its name and result', { timeout: 30_000 }, async () => {
		await page.goto(url('/admin/policies'));
		assert.equal(pathOf(page), '/admin/policies');
		assert.equal(await page.getAttribute('form#policy', 'enctype'), 'multipart/form-data');
		assert.equal(await page.getAttribute('#policy-file', 'accept'), '.rcp');
		await page.setInputFiles('#policy-file', POLICY);
		const resp = await submit(page, 'form#policy button[type=submit]');
		assert.equal(resp.status(), 200);
		assert.equal(pathOf(page), '/admin/policies/check');
		assert.equal(squeeze(await page.textContent('.notice[role=status]')), '检查通过，可以启用。');
		assert.equal(squeeze(await page.textContent('#policy-file-name')),
			'本次提交的文件：zhejiang-upload.rcp');
		// the activation form carries the checked text
		assert.equal(await page.getAttribute('form#policy', 'action'), '/admin/policies');
		const text = await page.inputValue('#policy-text');
		assert.match(text, /version\s+"2022\.01-upload"/);
		await screenshot(page, 'policy-upload');
		assert.deepEqual(page.problems, []);
	});

	it('refuses a file that is not UTF-8, next to the chooser', { timeout: 30_000 }, async () => {
		await page.goto(url('/admin/policies'));
		await page.setInputFiles('#policy-file', {
			name: '张三的政策.rcp',
			mimeType: 'application/octet-stream',
			buffer: Buffer.from([0x70, 0x6f, 0x6c, 0x69, 0x63, 0x79, 0x20, 0xd5, 0xc5, 0xc8, 0xfd]),
		});
		const resp = await submit(page, 'form#policy button[type=submit]');
		assert.equal(resp.status(), 400);
		assert.deepEqual(await fieldErrors(page, '#policy-file'),
			['文件内容无法识别：须为 UTF-8 编码的文本文件。']);
		assert.equal(squeeze(await page.textContent('#policy-file-name')),
			'本次提交的文件：张三的政策.rcp');
		assert.deepEqual(takeStatusProblems(page, 400), [400]);
		assert.deepEqual(page.problems, []);
	});
});
