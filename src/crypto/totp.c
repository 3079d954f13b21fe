/*
 * totp.c -- one-time codes: HOTP (RFC 4226) and TOTP (RFC 6238) with
 * HMAC-SHA1 from OpenSSL 3, base32 (RFC 4648) to show a secret to a person,
 * and the otpauth:// URI an authenticator app reads from a QR code.
 *
 * HMAC-SHA1 is fetched once and kept, as openssl.c does for its algorithms,
 * and every OpenSSL failure becomes RC_ERR_INTERNAL with the error queue
 * cleared.  HMAC outputs, candidate codes and base32 text of secrets are
 * wiped before their memory goes back to the stack.
 */
#include "crypto/crypto.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/utf8.h"

#define SHA1_LEN 20

#define STR_(x) #x
#define STR(x)  STR_(x)

static CRYPTO_ONCE fetch_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MAC *mac_hmac;

static void fetch_hmac(void)
{
	mac_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

static enum rc_err fail(void)
{
	ERR_clear_error();
	return RC_ERR_INTERNAL;
}

static int secret_ok(const uint8_t *secret, size_t len)
{
	return secret && len >= RC_TOTP_SECRET_MIN && len <= RC_TOTP_SECRET_MAX;
}

/* ---- HOTP -------------------------------------------------------------- */

/* HMAC-SHA1(secret, be64(counter)) after dynamic truncation (RFC 4226
 * section 5.3): the 31-bit number that the decimal code is taken from. */
static enum rc_err truncated_hmac(const uint8_t *secret, size_t len, uint64_t counter,
				  uint32_t *bin)
{
	enum rc_err e = RC_OK;
	EVP_MAC_CTX *c = NULL;
	OSSL_PARAM params[2];
	uint8_t msg[8], mac[SHA1_LEN];
	size_t n = 0, off;
	*bin = 0;
	if (!CRYPTO_THREAD_run_once(&fetch_once, fetch_hmac) || !mac_hmac) {
		e = fail();
		goto out;
	}
	c = EVP_MAC_CTX_new(mac_hmac);
	if (!c) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)counter;
		counter >>= 8;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(c, secret, len, params) != 1 || EVP_MAC_update(c, msg, sizeof(msg)) != 1 ||
	    EVP_MAC_final(c, mac, &n, sizeof(mac)) != 1 || n != sizeof(mac)) {
		e = fail();
		goto out;
	}
	off = mac[SHA1_LEN - 1] & 0x0f;
	*bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	       (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
out:
	rc_crypto_wipe(mac, sizeof(mac));
	EVP_MAC_CTX_free(c); /* wipes OpenSSL's copy of the key */
	return e;
}

static const uint32_t powers_of_ten[] = {1,      10,      100,      1000,     10000,
					 100000, 1000000, 10000000, 100000000};

enum rc_err rc_hotp(const uint8_t *secret, size_t len, uint64_t counter, int digits, uint32_t *code)
{
	uint32_t bin = 0;
	enum rc_err e;
	*code = 0;
	/* RFC 4226 section 5.3 asks for 6 digits at least; 9 would still fit
	 * the 31 bits but no app shows them. */
	if (!secret_ok(secret, len) || digits < 6 || digits > 8)
		return RC_ERR_RANGE;
	e = truncated_hmac(secret, len, counter, &bin);
	if (e == RC_OK)
		*code = bin % powers_of_ten[digits];
	rc_crypto_wipe(&bin, sizeof(bin));
	return e;
}

/* ---- TOTP -------------------------------------------------------------- */

/* Exactly RC_TOTP_DIGITS ASCII digits and the NUL.  Whatever the user typed
 * around the digits (spaces, a full-width form) is the caller's to strip:
 * the check here is of the code's shape only, never of its value. */
static int code_ok(const char *code)
{
	if (!code || strnlen(code, RC_TOTP_DIGITS + 1) != RC_TOTP_DIGITS)
		return 0;
	for (int i = 0; i < RC_TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return 1;
}

enum rc_err rc_totp_verify(const uint8_t *secret, size_t len, const char *code, int64_t unix_time,
			   int64_t last_step, int64_t *step)
{
	enum rc_err e = RC_OK;
	char want[RC_TOTP_DIGITS];
	uint32_t bin = 0, v;
	int64_t now, found = -1;
	if (!secret_ok(secret, len) || !code_ok(code) || unix_time < 0)
		return RC_ERR_RANGE;
	now = unix_time / RC_TOTP_PERIOD;
	/* All three candidates are computed and compared, matched or not, so
	 * that the time taken says nothing about which step (if any) the code
	 * belongs to.  Candidates go in increasing order and the last match
	 * wins: should a code match two steps (a 1-in-a-million chance), the
	 * later one is stored, which refuses more replays, not fewer. */
	for (int64_t s = now - 1; s <= now + 1; s++) {
		if (s < 0)
			continue;
		e = truncated_hmac(secret, len, (uint64_t)s, &bin);
		if (e)
			goto out;
		v = bin % powers_of_ten[RC_TOTP_DIGITS];
		for (int i = RC_TOTP_DIGITS - 1; i >= 0; i--) {
			want[i] = (char)('0' + v % 10);
			v /= 10;
		}
		if (rc_crypto_equal(want, code, RC_TOTP_DIGITS) && s > last_step)
			found = s;
	}
	/* A code from a step already used, or older than one, is refused like
	 * a wrong one (RFC 6238 section 5.2: one verification per code). */
	if (found < 0) {
		e = RC_ERR_CONFLICT;
		goto out;
	}
	*step = found;
out:
	rc_crypto_wipe(want, sizeof(want));
	rc_crypto_wipe(&bin, sizeof(bin));
	return e;
}

enum rc_err rc_totp_secret_new(uint8_t out[RC_TOTP_SECRET_LEN])
{
	return rc_random_bytes(out, RC_TOTP_SECRET_LEN);
}

/* ---- base32 ------------------------------------------------------------ */

/* The two conversions below are arithmetic on the value, with no branch on
 * it and no table indexed by it, since base32 here carries secrets: what a
 * lookup table would leak through the cache is exactly the secret. */

/* The character for v in 0..31: 'A' + v up to 25, '2' + (v - 26) after. */
static char b32_char(uint32_t v)
{
	uint32_t digit = (25u - v) >> 31; /* 1 when v > 25 */
	return (char)('A' + v - digit * ('A' + 26 - '2'));
}

/* The value of c (either case) in 0..31, or -1 when c is not a base32
 * character. */
static int b32_value(unsigned char c)
{
	uint32_t x = c, l = x | 0x20;                        /* A-Z to a-z, digits unchanged */
	uint32_t letter = ((0x60u - l) & (l - 0x7bu)) >> 31; /* 'a' <= l <= 'z' */
	uint32_t digit = ((0x31u - x) & (x - 0x38u)) >> 31;  /* '2' <= x <= '7' */
	return (int)(letter * (l - 'a' + 1) + digit * (x - '2' + 27)) - 1;
}

enum rc_err rc_base32_encode(const uint8_t *in, size_t len, char *out, size_t out_cap,
			     size_t *out_len)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t need, k = 0;
	*out_len = 0;
	if (!in && len)
		return RC_ERR_RANGE;
	if (len / 5 > (SIZE_MAX - 9) / 8)
		return RC_ERR_LIMIT;
	need = len / 5 * 8 + (len % 5 * 8 + 4) / 5;
	if (!out || out_cap <= need)
		return RC_ERR_LIMIT;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8 | in[i]) & 0x1fff; /* at most 12 pending bits */
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[k++] = b32_char(acc >> bits & 31);
		}
	}
	if (bits)
		out[k++] = b32_char(acc << (5 - bits) & 31);
	out[k] = '\0';
	*out_len = k;
	rc_crypto_wipe(&acc, sizeof(acc));
	return RC_OK;
}

enum rc_err rc_base32_decode(const char *in, size_t len, uint8_t *out, size_t out_cap,
			     size_t *out_len)
{
	/* The bits a final group of r symbols leaves unused, or -1 when no
	 * encoding ends with r symbols (r = 1, 3, 6). */
	static const int unused_bits[8] = {0, -1, 2, -1, 4, 1, -1, 3};
	size_t n_sym = 0, n_pad = 0, n_bytes, k = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	int last = 0, unused;
	*out_len = 0;
	if (!in && len)
		return RC_ERR_RANGE;
	/* First pass: check everything and count, so that nothing is written
	 * unless all of it can be. */
	for (size_t i = 0; i < len; i++) {
		int v = b32_value((unsigned char)in[i]);
		if (in[i] == ' ')
			continue;
		if (in[i] == '=') {
			n_pad++;
			continue;
		}
		if (v < 0 || n_pad)
			return RC_ERR_SYNTAX;
		n_sym++;
		last = v;
	}
	unused = unused_bits[n_sym % 8];
	if (unused < 0 || (last & ((1 << unused) - 1)))
		return RC_ERR_SYNTAX;
	/* Padding, when present, fills the last group of 8 exactly. */
	if (n_pad && (n_sym % 8 == 0 || n_pad != 8 - n_sym % 8))
		return RC_ERR_SYNTAX;
	n_bytes = n_sym / 8 * 5 + n_sym % 8 * 5 / 8;
	if (n_bytes > out_cap)
		return RC_ERR_LIMIT;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == ' ' || in[i] == '=')
			continue;
		acc = (acc << 5 | (uint32_t)b32_value((unsigned char)in[i])) & 0x1fff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (uint8_t)(acc >> bits);
		}
	}
	*out_len = k;
	rc_crypto_wipe(&acc, sizeof(acc));
	rc_crypto_wipe(&last, sizeof(last));
	return RC_OK;
}

/* ---- the otpauth URI --------------------------------------------------- */

/* A bounded writer: once something does not fit, nothing more is written
 * and `full` says so. */
struct sink {
	char *p;
	size_t cap, len;
	int full;
};

static void put(struct sink *s, const char *t, size_t n)
{
	if (s->full || n >= s->cap - s->len) {
		s->full = 1;
		return;
	}
	memcpy(s->p + s->len, t, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void put_str(struct sink *s, const char *t)
{
	put(s, t, strlen(t));
}

/* RFC 3986 section 2.1 and 2.3: every byte but the unreserved characters
 * as %XX, upper-case hex. */
static void put_encoded(struct sink *s, const char *t)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *u = (const unsigned char *)t; *u; u++) {
		char pct[3] = {'%', hex[*u >> 4], hex[*u & 0x0f]};
		if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') ||
		    (*u >= '0' && *u <= '9') || *u == '-' || *u == '.' || *u == '_' || *u == '~')
			put(s, (const char *)u, 1);
		else
			put(s, pct, 3);
	}
}

/* An issuer or account name: non-empty UTF-8, with no colon (the Key URI
 * Format reserves it to separate the two in the label, encoded or not:
 * apps split on it after decoding) and no control character (it is shown
 * to the user as the entry's name). */
static int label_ok(const char *t)
{
	size_t len, i = 0;
	if (!t || !*t)
		return 0;
	len = strlen(t);
	while (i < len) {
		uint32_t cp;
		size_t n = rc_utf8_decode(t + i, len - i, &cp);
		if (n == 0 || cp == ':' || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return 0;
		i += n;
	}
	return 1;
}

enum rc_err rc_totp_uri(const char *issuer, const char *account, const uint8_t *secret, size_t len,
			char *out, size_t outlen)
{
	enum rc_err e = RC_OK;
	char b32[RC_BASE32_LEN(RC_TOTP_SECRET_MAX) + 1];
	size_t b32_len = 0;
	struct sink s = {out, outlen, 0, 0};
	if (out && outlen)
		out[0] = '\0';
	if (!label_ok(issuer) || !label_ok(account)) {
		e = RC_ERR_SYNTAX;
		goto out;
	}
	if (!secret_ok(secret, len)) {
		e = RC_ERR_RANGE;
		goto out;
	}
	if (!out || !outlen) {
		e = RC_ERR_LIMIT;
		goto out;
	}
	e = rc_base32_encode(secret, len, b32, sizeof(b32), &b32_len);
	if (e)
		goto out;
	put_str(&s, "otpauth://totp/");
	put_encoded(&s, issuer);
	put_str(&s, ":");
	put_encoded(&s, account);
	put_str(&s, "?secret=");
	put(&s, b32, b32_len);
	put_str(&s, "&issuer=");
	put_encoded(&s, issuer);
	put_str(&s, "&algorithm=SHA1&digits=" STR(RC_TOTP_DIGITS) "&period=" STR(RC_TOTP_PERIOD));
	if (s.full)
		e = RC_ERR_LIMIT;
out:
	/* Part of the secret may already be in out. */
	if (e && out && outlen)
		rc_crypto_wipe(out, outlen);
	rc_crypto_wipe(b32, sizeof(b32));
	return e;
}
