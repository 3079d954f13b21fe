// The helpers' TOTP against RFC 6238's own test values (Appendix B,
// HMAC-SHA1, the last six of the eight digits), so that a log-in test that
// fails is not a wrong code computed here.  No browser, no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, totp, stepAt, freshCode, lastStep, wrongCode, PERIOD_MS } from './lib.mjs';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"

test('base32 decodes RFC 4648 text, dashes and case aside', () => {
	assert.equal(base32Decode(SECRET).toString('latin1'), '12345678901234567890');
	assert.equal(base32Decode('gezd-gnbv').toString('latin1'), '12345');
	assert.throws(() => base32Decode('GEZ1'), /not base32/);
});

test('codes match RFC 6238 appendix B (SHA-1)', () => {
	for (const [t, want] of [
		[59, '287082'],
		[1111111109, '081804'],
		[1111111111, '050471'],
		[1234567890, '005924'],
		[2000000000, '279037'],
		[20000000000, '353130'],
	])
		assert.equal(totp(SECRET, stepAt(t * 1000)), want, `T = ${t}`);
});

test('a fresh code is never of a step already handed out', async () => {
	const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
	assert.equal(lastStep(secret), -1);
	const a = await freshCode(secret, { maxWaitMs: 0 }); // the current step: no wait
	assert.equal(a.waitedMs, 0);
	assert.equal(a.step, stepAt());
	assert.equal(lastStep(secret), a.step);
	// the next one is refused rather than waited for beyond the cap
	const left = (a.step + 1) * PERIOD_MS - Date.now();
	if (left > 50) await assert.rejects(freshCode(secret, { maxWaitMs: 0 }), /ms away/);
	assert.notEqual(wrongCode(secret), totp(secret, stepAt()));
});
