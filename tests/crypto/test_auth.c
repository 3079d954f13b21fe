/*
 * test_auth.c -- unit tests of the authentication part of the crypto
 * module: argon2id passwords, HOTP and TOTP, base32 and the otpauth URI.
 *
 * Known answers come from the RFCs where they give them (HOTP: RFC 4226
 * Appendix D; TOTP: RFC 6238 Appendix B; base32: RFC 4648 section 10).
 * The argon2id hash and the URI were computed outside rongcuo when the tests
 * were written, with Python: cryptography 48's Argon2id, and
 * urllib.parse.quote(safe="") with base64.b32encode.
 *
 * Every argon2id hash costs 10-50 ms, so the password tests make only a
 * dozen; the malformed-hash tests cost nothing, because a hash that does not
 * parse is refused before any work is done.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/err.h"
#include "crypto/crypto.h"

/* RFC 4226 Appendix D and RFC 6238 Appendix B (SHA1): the ASCII secret
 * "12345678901234567890". */
static const uint8_t rfc_secret[] = "12345678901234567890";
#define RFC_SECRET_LEN 20

/* ---- HOTP and TOTP ----------------------------------------------------- */

/* RFC 4226 Appendix D: the 6-digit HOTP values for counters 0-9. */
static const uint32_t rfc4226_codes[10] = {755224, 287082, 359152, 969429, 338314,
					   254676, 287922, 162583, 399871, 520489};

static void hotp_rfc4226(void **state)
{
	(void)state;
	uint32_t code = 1;
	for (uint64_t c = 0; c < 10; c++) {
		assert_int_equal(rc_hotp(rfc_secret, RFC_SECRET_LEN, c, 6, &code), RC_OK);
		assert_int_equal(code, rfc4226_codes[c]);
	}
}

/* RFC 6238 Appendix B, the SHA1 column: 8 digits, T0 = 0, X = 30. */
static const struct {
	int64_t time;
	uint64_t step;
	uint32_t code;
} rfc6238[] = {
    {59, 0x1, 94287082},
    {1111111109, 0x23523EC, 7081804},
    {1111111111, 0x23523ED, 14050471},
    {1234567890, 0x273EF07, 89005924},
    {2000000000, 0x3F940AA, 69279037},
    {20000000000, 0x27BC86AA, 65353130},
};

static void totp_rfc6238(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rfc6238) / sizeof(rfc6238[0]); i++) {
		uint32_t code = 0;
		char six[7];
		int64_t step = -5;
		assert_int_equal((uint64_t)rfc6238[i].time / RC_TOTP_PERIOD, rfc6238[i].step);
		assert_int_equal(rc_hotp(rfc_secret, RFC_SECRET_LEN, rfc6238[i].step, 8, &code),
				 RC_OK);
		assert_int_equal(code, rfc6238[i].code);
		/* The 6-digit code is the last six of the eight, and
		 * rc_totp_verify() finds it at that time, in that step. */
		snprintf(six, sizeof(six), "%06u", (unsigned)(rfc6238[i].code % 1000000));
		assert_int_equal(
		    rc_totp_verify(rfc_secret, RFC_SECRET_LEN, six, rfc6238[i].time, -1, &step),
		    RC_OK);
		assert_int_equal(step, (int64_t)rfc6238[i].step);
	}
}

static void hotp_bad_arguments(void **state)
{
	(void)state;
	uint8_t big[RC_TOTP_SECRET_MAX + 1] = {0};
	uint32_t code = 7;
	assert_int_equal(rc_hotp(rfc_secret, RFC_SECRET_LEN, 0, 5, &code), RC_ERR_RANGE);
	assert_int_equal(code, 0);
	assert_int_equal(rc_hotp(rfc_secret, RFC_SECRET_LEN, 0, 9, &code), RC_ERR_RANGE);
	assert_int_equal(rc_hotp(rfc_secret, RC_TOTP_SECRET_MIN - 1, 0, 6, &code), RC_ERR_RANGE);
	assert_int_equal(rc_hotp(big, sizeof(big), 0, 6, &code), RC_ERR_RANGE);
	assert_int_equal(rc_hotp(NULL, RFC_SECRET_LEN, 0, 6, &code), RC_ERR_RANGE);
	assert_int_equal(rc_hotp(big, RC_TOTP_SECRET_MAX, 0, 6, &code), RC_OK);
	assert_int_equal(rc_hotp(rfc_secret, RC_TOTP_SECRET_MIN, 0, 7, &code), RC_OK);
	assert_true(code < 10000000);
}

/* At 65 s the step is 2: the codes of steps 1, 2 and 3 pass, those of
 * steps 0 and 4 (two away) do not.  The codes are RFC 4226's, since HOTP
 * counter = TOTP step. */
static void totp_window(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		enum rc_err want;
		int64_t step;
	} cases[] = {
	    {"755224", RC_ERR_CONFLICT, 0}, {"287082", RC_OK, 1},
	    {"359152", RC_OK, 2},           {"969429", RC_OK, 3},
	    {"338314", RC_ERR_CONFLICT, 4}, {"000000", RC_ERR_CONFLICT, 0},
	    {"359153", RC_ERR_CONFLICT, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t step = -5;
		assert_int_equal(
		    rc_totp_verify(rfc_secret, RFC_SECRET_LEN, cases[i].code, 65, -1, &step),
		    cases[i].want);
		assert_int_equal(step, cases[i].want == RC_OK ? cases[i].step : -5);
	}
	/* The edges of the step: 60 and 89 s are step 2, 90 s is step 3. */
	int64_t step = -5;
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "287082", 60, -1, &step),
			 RC_OK);
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "287082", 89, -1, &step),
			 RC_OK);
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "287082", 90, -1, &step),
			 RC_ERR_CONFLICT);
	/* In step 0 there is no step -1; the codes of 0 and 1 pass. */
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "755224", 0, -1, &step), RC_OK);
	assert_int_equal(step, 0);
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "287082", 29, -1, &step),
			 RC_OK);
	assert_int_equal(step, 1);
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "359152", 29, -1, &step),
			 RC_ERR_CONFLICT);
}

/* A code is good once; after a later code, earlier ones are no good; the
 * last step may be updated in place. */
static void totp_replay(void **state)
{
	(void)state;
	int64_t last = -1;
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "359152", 65, last, &last),
			 RC_OK);
	assert_int_equal(last, 2);
	/* The same code again, in the same step or the next. */
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "359152", 65, last, &last),
			 RC_ERR_CONFLICT);
	assert_int_equal(last, 2); /* untouched on failure */
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "359152", 95, last, &last),
			 RC_ERR_CONFLICT);
	/* The previous step's code, still inside the window. */
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "287082", 65, last, &last),
			 RC_ERR_CONFLICT);
	assert_int_equal(last, 2);
	/* The next step's code is new. */
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "969429", 65, last, &last),
			 RC_OK);
	assert_int_equal(last, 3);
	/* And now step 2's code, valid by time, is refused: it is older. */
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "359152", 65, last, &last),
			 RC_ERR_CONFLICT);
	assert_int_equal(last, 3);
}

static void totp_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",        "35915",  "3591520", "35915a",  " 359152",      "359152 ",
	    "359 152", "-59152", "+59152",  "35915\n", "３５９１５２", /* full-width digits */
	};
	int64_t step = -5;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, bad[i], 65, -1, &step),
				 RC_ERR_RANGE);
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, NULL, 65, -1, &step),
			 RC_ERR_RANGE);
	assert_int_equal(rc_totp_verify(rfc_secret, RFC_SECRET_LEN, "359152", -1, -1, &step),
			 RC_ERR_RANGE);
	assert_int_equal(rc_totp_verify(rfc_secret, 10, "359152", 65, -1, &step), RC_ERR_RANGE);
	assert_int_equal(rc_totp_verify(NULL, RFC_SECRET_LEN, "359152", 65, -1, &step),
			 RC_ERR_RANGE);
	assert_int_equal(step, -5);
}

/* A fresh secret works with the verifier, and two are different. */
static void totp_secret_new(void **state)
{
	(void)state;
	uint8_t a[RC_TOTP_SECRET_LEN], b[RC_TOTP_SECRET_LEN];
	uint32_t code = 0;
	char text[7];
	int64_t step = -1, now = 1700000000;
	assert_int_equal(RC_TOTP_SECRET_LEN, 20);
	assert_int_equal(rc_totp_secret_new(a), RC_OK);
	assert_int_equal(rc_totp_secret_new(b), RC_OK);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(rc_hotp(a, sizeof(a), (uint64_t)now / 30, 6, &code), RC_OK);
	snprintf(text, sizeof(text), "%06u", (unsigned)code);
	assert_int_equal(rc_totp_verify(a, sizeof(a), text, now, -1, &step), RC_OK);
	assert_int_equal(step, now / 30);
}

/* ---- base32 ------------------------------------------------------------ */

/* RFC 4648 section 10; the output is the unpadded form. */
static const struct {
	const char *plain, *padded, *unpadded;
} rfc4648[] = {
    {"", "", ""},
    {"f", "MY======", "MY"},
    {"fo", "MZXQ====", "MZXQ"},
    {"foo", "MZXW6===", "MZXW6"},
    {"foob", "MZXW6YQ=", "MZXW6YQ"},
    {"fooba", "MZXW6YTB", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI======", "MZXW6YTBOI"},
};

static void base32_rfc4648(void **state)
{
	(void)state;
	char text[32];
	uint8_t bin[16];
	size_t n;
	for (size_t i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		const char *p = rfc4648[i].plain;
		size_t len = strlen(p);
		assert_int_equal(rc_base32_encode((const uint8_t *)p, len, text, sizeof(text), &n),
				 RC_OK);
		assert_string_equal(text, rfc4648[i].unpadded);
		assert_int_equal(n, strlen(rfc4648[i].unpadded));
		assert_int_equal(n, RC_BASE32_LEN(len));
		/* Decoding takes both forms, and lower case. */
		const char *forms[2] = {rfc4648[i].padded, rfc4648[i].unpadded};
		for (int f = 0; f < 2; f++) {
			char lower[32];
			size_t k;
			assert_int_equal(
			    rc_base32_decode(forms[f], strlen(forms[f]), bin, sizeof(bin), &n),
			    RC_OK);
			assert_int_equal(n, len);
			assert_memory_equal(bin, p, len);
			for (k = 0; forms[f][k]; k++)
				lower[k] = (char)(forms[f][k] >= 'A' && forms[f][k] <= 'Z'
						      ? forms[f][k] + 32
						      : forms[f][k]);
			assert_int_equal(rc_base32_decode(lower, k, bin, sizeof(bin), &n), RC_OK);
			assert_int_equal(n, len);
			assert_memory_equal(bin, p, len);
		}
	}
	/* The RFC secret, as apps show it, in groups of four. */
	assert_int_equal(rc_base32_encode(rfc_secret, RFC_SECRET_LEN, text, sizeof(text), &n),
			 RC_ERR_LIMIT); /* 32 characters need 33 bytes */
	char text33[33];
	assert_int_equal(rc_base32_encode(rfc_secret, RFC_SECRET_LEN, text33, sizeof(text33), &n),
			 RC_OK);
	assert_string_equal(text33, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	static const char grouped[] = " gezd gnbv gy3t qojq GEZD GNBV GY3T QOJQ ";
	uint8_t secret[RFC_SECRET_LEN];
	assert_int_equal(rc_base32_decode(grouped, strlen(grouped), secret, sizeof(secret), &n),
			 RC_OK);
	assert_int_equal(n, RFC_SECRET_LEN);
	assert_memory_equal(secret, rfc_secret, RFC_SECRET_LEN);
}

/* Every alphabet symbol in every position, both ways, for lengths 0-40. */
static void base32_round_trip(void **state)
{
	(void)state;
	uint8_t in[40], back[40];
	char text[RC_BASE32_LEN(40) + 1];
	size_t n, m;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof(in); len++) {
		assert_int_equal(rc_base32_encode(in, len, text, sizeof(text), &n), RC_OK);
		assert_int_equal(n, RC_BASE32_LEN(len));
		assert_int_equal(strlen(text), n);
		for (size_t k = 0; k < n; k++)
			assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", text[k]));
		assert_int_equal(rc_base32_decode(text, n, back, sizeof(back), &m), RC_OK);
		assert_int_equal(m, len);
		assert_memory_equal(back, in, len);
	}
	/* All 32 symbols decode to their values: "ABCDEFGH..." is 0..31 in
	 * 5-bit groups. */
	static const char all[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	static const uint8_t all_bin[20] = {0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54,
					    0xb6, 0x35, 0xcf, 0x84, 0x65, 0x3a, 0x56,
					    0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf};
	assert_int_equal(rc_base32_decode(all, 32, back, sizeof(back), &m), RC_OK);
	assert_int_equal(m, 20);
	assert_memory_equal(back, all_bin, 20);
	assert_int_equal(rc_base32_encode(all_bin, 20, text, sizeof(text), &n), RC_OK);
	assert_string_equal(text, all);
}

static void base32_bad(void **state)
{
	(void)state;
	static const char *const syntax[] = {
	    "M",      /* 1 symbol: no encoding ends so */
	    "MZX",    /* 3 */
	    "MZXW6Y", /* 6 */
	    "MZ",     /* 'f' with non-zero unused bits (Z = 11001) */
	    "MZXR",   /* "fo" with non-zero unused bits */
	    "MY1",
	    "MY0",
	    "MY8",
	    "MY9",
	    "MY!",
	    "MY-",
	    "M\tY",
	    "MY\n",
	    "M=Y",       /* padding in the middle */
	    "MY=",       /* too little padding */
	    "MY=======", /* too much */
	    "MZXW6YTB========",
	    "========",
	    "MY======A",
	    "MY=== ====", /* spaces are fine, but the count is 7 */
	    "ÄY",
	};
	uint8_t out[16] = {0};
	size_t n = 99;
	for (size_t i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		assert_int_equal(
		    rc_base32_decode(syntax[i], strlen(syntax[i]), out, sizeof(out), &n),
		    RC_ERR_SYNTAX);
		assert_int_equal(n, 0);
	}
	/* A NUL inside the slice is not a symbol. */
	assert_int_equal(rc_base32_decode("MY\0A", 4, out, sizeof(out), &n), RC_ERR_SYNTAX);
	/* Spaced padding is still padding. */
	assert_int_equal(rc_base32_decode("MY === ===", 10, out, sizeof(out), &n), RC_OK);
	assert_int_equal(n, 1);
	/* Output too small: an error, and nothing written. */
	memset(out, 0xee, sizeof(out));
	assert_int_equal(rc_base32_decode("MZXW6YTBOI", 10, out, 5, &n), RC_ERR_LIMIT);
	assert_int_equal(n, 0);
	assert_int_equal(out[0], 0xee);
	assert_int_equal(rc_base32_decode("MZXW6YTBOI", 10, out, 6, &n), RC_OK);
	assert_int_equal(rc_base32_decode(NULL, 0, out, 0, &n), RC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(rc_base32_decode(NULL, 1, out, 0, &n), RC_ERR_RANGE);

	char text[8];
	memset(text, 'x', sizeof(text));
	assert_int_equal(rc_base32_encode((const uint8_t *)"foob", 4, text, 7, &n), RC_ERR_LIMIT);
	assert_int_equal(text[0], 'x');
	assert_int_equal(rc_base32_encode((const uint8_t *)"foob", 4, text, 8, &n), RC_OK);
	assert_string_equal(text, "MZXW6YQ");
	assert_int_equal(rc_base32_encode(NULL, 1, text, 8, &n), RC_ERR_RANGE);
	assert_int_equal(rc_base32_encode(NULL, 0, text, 1, &n), RC_OK);
	assert_string_equal(text, "");
	assert_int_equal(rc_base32_encode(NULL, 0, text, 0, &n), RC_ERR_LIMIT);
}

/* ---- the otpauth URI --------------------------------------------------- */

/* Computed with Python: "otpauth://totp/" + quote(issuer, safe="") + ":" +
 * quote(account, safe="") + "?secret=" + b32encode(secret) without "=" +
 * "&issuer=" + quote(issuer, safe="") + "&algorithm=SHA1&digits=6&period=30". */
static const char uri_chinese[] =
    "otpauth://totp/%E5%AE%B9%E9%94%99%E7%B3%BB%E7%BB%9F:%E5%BC%A0%E4%B8%89"
    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E5%AE%B9%E9%94%99%E7%B3%BB%E7%BB%9F"
    "&algorithm=SHA1&digits=6&period=30";

static void totp_uri(void **state)
{
	(void)state;
	char out[512];
	assert_int_equal(
	    rc_totp_uri("容错系统", "张三", rfc_secret, RFC_SECRET_LEN, out, sizeof(out)), RC_OK);
	assert_string_equal(out, uri_chinese);

	/* Exactly the size needed, and one byte less. */
	size_t need = strlen(uri_chinese) + 1;
	assert_int_equal(rc_totp_uri("容错系统", "张三", rfc_secret, RFC_SECRET_LEN, out, need),
			 RC_OK);
	assert_string_equal(out, uri_chinese);
	memset(out, 'x', sizeof(out));
	assert_int_equal(rc_totp_uri("容错系统", "张三", rfc_secret, RFC_SECRET_LEN, out, need - 1),
			 RC_ERR_LIMIT);
	for (size_t i = 0; i < need - 1; i++)
		assert_int_equal(out[i], 0); /* wiped: it held most of the secret */
	assert_int_equal(out[need - 1], 'x');
	assert_int_equal(rc_totp_uri("容错系统", "张三", rfc_secret, RFC_SECRET_LEN, out, 0),
			 RC_ERR_LIMIT);

	/* Unreserved characters pass, everything else is encoded. */
	assert_int_equal(rc_totp_uri("Rong-Cuo_1.0~", "Zhang San@x/y?&=%+", rfc_secret,
				     RFC_SECRET_LEN, out, sizeof(out)),
			 RC_OK);
	assert_string_equal(out, "otpauth://totp/Rong-Cuo_1.0~:Zhang%20San%40x%2Fy%3F%26%3D%25%2B"
				 "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Rong-Cuo_1.0~"
				 "&algorithm=SHA1&digits=6&period=30");

	static const char *const bad[] = {"",         "a:b",      "a\nb",         "a\x7f",
					  "\xe5\xae", "\xc0\xaf", "\xed\xa0\x80", "\xc2\x85"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    rc_totp_uri(bad[i], "张三", rfc_secret, RFC_SECRET_LEN, out, sizeof(out)),
		    RC_ERR_SYNTAX);
		assert_int_equal(
		    rc_totp_uri("容错系统", bad[i], rfc_secret, RFC_SECRET_LEN, out, sizeof(out)),
		    RC_ERR_SYNTAX);
		assert_string_equal(out, "");
	}
	assert_int_equal(rc_totp_uri(NULL, "a", rfc_secret, RFC_SECRET_LEN, out, sizeof(out)),
			 RC_ERR_SYNTAX);
	assert_int_equal(rc_totp_uri("a", NULL, rfc_secret, RFC_SECRET_LEN, out, sizeof(out)),
			 RC_ERR_SYNTAX);
	assert_int_equal(rc_totp_uri("a", "b", rfc_secret, 10, out, sizeof(out)), RC_ERR_RANGE);
}

/* ---- passwords --------------------------------------------------------- */

static const char pw[] = "密码 correct horse";

/* Made outside rongcuo: Python's cryptography 48,
 * Argon2id(salt=b"rongcuo-kat-salt", length=32, iterations=2, lanes=1,
 * memory_cost=19456).derive_phc_encoded("密码 correct horse".encode()). */
static const char pw_kat[] = "$argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
			     "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU";

static void password_round_trip(void **state)
{
	(void)state;
	char h1[RC_PASSWORD_HASH_MAX], h2[RC_PASSWORD_HASH_MAX];
	int ok = -1;
	assert_int_equal(rc_password_hash(pw, strlen(pw), h1), RC_OK);
	assert_int_equal(strncmp(h1, "$argon2id$v=19$m=19456,t=2,p=1$", 31), 0);
	assert_int_equal(strlen(h1), 31 + 22 + 1 + 43);
	assert_int_equal(rc_password_verify(h1, pw, strlen(pw), &ok), RC_OK);
	assert_int_equal(ok, 1);
	/* One byte fewer, one byte changed. */
	ok = -1;
	assert_int_equal(rc_password_verify(h1, pw, strlen(pw) - 1, &ok), RC_OK);
	assert_int_equal(ok, 0);
	/* A second hash has another salt, and both verify. */
	assert_int_equal(rc_password_hash(pw, strlen(pw), h2), RC_OK);
	assert_string_not_equal(h1, h2);
	assert_memory_not_equal(h1 + 31, h2 + 31, 22);
	assert_int_equal(rc_password_needs_rehash(h1), 0);
	/* An independent implementation's hash verifies here; a wrong
	 * password against it does not. */
	ok = -1;
	assert_int_equal(rc_password_verify(pw_kat, pw, strlen(pw), &ok), RC_OK);
	assert_int_equal(ok, 1);
	ok = -1;
	assert_int_equal(rc_password_verify(pw_kat, "密码 correct horsf", strlen(pw), &ok), RC_OK);
	assert_int_equal(ok, 0);
	/* A password with a NUL inside is its bytes, not a C string. */
	ok = -1;
	assert_int_equal(rc_password_verify(h2, "密码 correct horse\0x", strlen(pw) + 2, &ok),
			 RC_OK);
	assert_int_equal(ok, 0);
}

static void password_lengths(void **state)
{
	(void)state;
	char h[RC_PASSWORD_HASH_MAX];
	static char longest[RC_PASSWORD_LEN_MAX + 1];
	int ok = -1;
	memset(longest, 'p', sizeof(longest));
	memset(h, 'x', sizeof(h));
	assert_int_equal(rc_password_hash(pw, 0, h), RC_ERR_RANGE);
	assert_string_equal(h, "");
	assert_int_equal(rc_password_hash(NULL, 5, h), RC_ERR_RANGE);
	assert_int_equal(rc_password_hash(longest, RC_PASSWORD_LEN_MAX + 1, h), RC_ERR_RANGE);
	assert_int_equal(rc_password_verify(pw_kat, pw, 0, &ok), RC_ERR_RANGE);
	assert_int_equal(ok, 0);
	ok = -1;
	assert_int_equal(rc_password_verify(pw_kat, longest, RC_PASSWORD_LEN_MAX + 1, &ok),
			 RC_ERR_RANGE);
	assert_int_equal(ok, 0);
	assert_int_equal(rc_password_verify(pw_kat, NULL, 3, &ok), RC_ERR_RANGE);
	assert_int_equal(rc_password_dummy_verify(pw, 0), RC_ERR_RANGE);
	assert_int_equal(rc_password_dummy_verify(longest, RC_PASSWORD_LEN_MAX + 1), RC_ERR_RANGE);
	assert_int_equal(rc_password_dummy_verify(NULL, 1), RC_ERR_RANGE);
	/* The longest password is hashed and verified; one byte is the
	 * shortest.  The cheap hash below stands in for a real one. */
	char weak[crypto_pwhash_STRBYTES];
	assert_true(sodium_init() >= 0);
	assert_int_equal(crypto_pwhash_str_alg(weak, longest, RC_PASSWORD_LEN_MAX, 1, 8192,
					       crypto_pwhash_ALG_ARGON2ID13),
			 0);
	ok = -1;
	assert_int_equal(rc_password_verify(weak, longest, RC_PASSWORD_LEN_MAX, &ok), RC_OK);
	assert_int_equal(ok, 1);
	assert_int_equal(rc_password_hash(longest, RC_PASSWORD_LEN_MAX, h), RC_OK);
	assert_int_equal(crypto_pwhash_str_alg(weak, "x", 1, 1, 8192, crypto_pwhash_ALG_ARGON2ID13),
			 0);
	ok = -1;
	assert_int_equal(rc_password_verify(weak, "x", 1, &ok), RC_OK);
	assert_int_equal(ok, 1);
}

/* Damaged hashes are RC_ERR_SYNTAX, never "wrong password"; every prefix
 * of a good hash is damaged. */
static void password_malformed(void **state)
{
	(void)state;
	static const char *const syntax[] = {
	    "",
	    "garbage",
	    "$argon2i$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* argon2i */
	    "$argon2d$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	    "$argon2id$v=16$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* version 1.0 */
	    "$argon2id$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* no version */
	    "$argon2id$v=19$m=019456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* leading zero */
	    "$argon2id$v=19$m=19456,t=0,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* no pass */
	    "$argon2id$v=19$m=19456,t=2,p=0$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* no lane */
	    "$argon2id$v=19$m=7,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* m < 8p */
	    "$argon2id$v=19$m=99999999999,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* not 32 bits */
	    "$argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniV", /* unused bits set */
	    "$argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU=", /* padding */
	    "$argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniUA", /* extended */
	    "$argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2Fsd$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* short salt */
	    "$argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl_Vn-wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU", /* URL-safe alphabet */
	    "$argon2id$v=19$m=19456,t=2,p=1,keyid=AAAA$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	    " $argon2id$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	    "$ARGON2ID$v=19$m=19456,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	};
	char copy[RC_PASSWORD_HASH_MAX + 8];
	int ok = -1;
	for (size_t i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		ok = -1;
		assert_int_equal(rc_password_verify(syntax[i], pw, strlen(pw), &ok), RC_ERR_SYNTAX);
		assert_int_equal(ok, 0);
		assert_int_equal(rc_password_needs_rehash(syntax[i]), -1);
	}
	ok = -1;
	assert_int_equal(rc_password_verify(NULL, pw, strlen(pw), &ok), RC_ERR_SYNTAX);
	assert_int_equal(ok, 0);
	assert_int_equal(rc_password_needs_rehash(NULL), -1);
	for (size_t n = 0; n < strlen(pw_kat); n++) {
		memcpy(copy, pw_kat, n);
		copy[n] = '\0';
		ok = -1;
		assert_int_equal(rc_password_verify(copy, pw, strlen(pw), &ok), RC_ERR_SYNTAX);
		assert_int_equal(ok, 0);
	}
	/* No NUL within RC_PASSWORD_HASH_MAX bytes. */
	memset(copy, 'a', sizeof(copy));
	copy[sizeof(copy) - 1] = '\0';
	assert_int_equal(rc_password_verify(copy, pw, strlen(pw), &ok), RC_ERR_SYNTAX);
	/* Well-formed, but asking for more than the caps: refused, not run. */
	static const char *const limit[] = {
	    "$argon2id$v=19$m=1048577,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	    "$argon2id$v=19$m=4294967295,t=2,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	    "$argon2id$v=19$m=19456,t=65,p=1$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	    "$argon2id$v=19$m=19456,t=2,p=17$cm9uZ2N1by1rYXQtc2FsdA$"
	    "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
	};
	for (size_t i = 0; i < sizeof(limit) / sizeof(limit[0]); i++) {
		ok = -1;
		assert_int_equal(rc_password_verify(limit[i], pw, strlen(pw), &ok), RC_ERR_LIMIT);
		assert_int_equal(ok, 0);
		assert_int_equal(rc_password_needs_rehash(limit[i]), -1);
	}
}

/* A hash made with weaker parameters verifies, and asks to be replaced;
 * one at least as strong does not.  needs_rehash only parses, so the
 * stronger ones need not be computed. */
static void password_rehash(void **state)
{
	(void)state;
	char weak[crypto_pwhash_STRBYTES];
	int ok = -1;
	assert_true(sodium_init() >= 0);
	assert_int_equal(crypto_pwhash_str_alg(weak, pw, strlen(pw), 1, 8192 * 1024,
					       crypto_pwhash_ALG_ARGON2ID13),
			 0);
	assert_int_equal(strncmp(weak, "$argon2id$v=19$m=8192,t=1,p=1$", 30), 0);
	assert_int_equal(rc_password_verify(weak, pw, strlen(pw), &ok), RC_OK);
	assert_int_equal(ok, 1);
	assert_int_equal(rc_password_needs_rehash(weak), 1);
	assert_int_equal(rc_password_needs_rehash(pw_kat), 0);
	static const struct {
		const char *params;
		int want;
	} cases[] = {
	    {"m=19456,t=2,p=1", 0}, {"m=19456,t=1,p=1", 1}, {"m=19455,t=2,p=1", 1},
	    {"m=12288,t=3,p=1", 1}, {"m=65536,t=3,p=1", 0}, {"m=19456,t=2,p=4", 0},
	    {"m=47104,t=1,p=1", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char h[RC_PASSWORD_HASH_MAX];
		snprintf(h, sizeof(h),
			 "$argon2id$v=19$%s$cm9uZ2N1by1rYXQtc2FsdA$"
			 "vyOl/Vn+wOr1yBq7vBoKe0ZRPtRGAW38LxNCbNKpniU",
			 cases[i].params);
		assert_int_equal(rc_password_needs_rehash(h), cases[i].want);
	}
}

/* The dummy costs what a real verification costs because it verifies a
 * hash with the current parameters: the same m, t and p as a fresh hash,
 * and no rehash needed.  (Its cost is checked through its parameters, not
 * timed: tests never depend on timing.) */
static void password_dummy(void **state)
{
	(void)state;
	char fresh[RC_PASSWORD_HASH_MAX];
	const char *dummy = rc_password_dummy_hash();
	assert_int_equal(rc_password_hash("x", 1, fresh), RC_OK);
	/* "$argon2id$v=19$m=...,t=...,p=...$": the parameters, up to the salt */
	const char *fp = strchr(fresh + 1, '$');
	fp = fp ? strchr(fp + 1, '$') : NULL;
	const char *fe = fp ? strchr(fp + 1, '$') : NULL;
	assert_non_null(fe);
	size_t plen = (size_t)(fe - fresh);
	assert_memory_equal(dummy, fresh, plen);
	assert_int_equal(dummy[plen], '$');
	assert_int_equal(rc_password_needs_rehash(dummy), 0);
	/* and it really is verified: a well-formed hash, any password refused */
	int ok = -1;
	assert_int_equal(rc_password_verify(dummy, "wrong", 5, &ok), RC_OK);
	assert_int_equal(ok, 0);
	assert_int_equal(rc_password_dummy_verify("wrong", 5), RC_OK);
}

/* Many threads hashing and verifying at once: never more than
 * RC_PASSWORD_PARALLEL inside argon2id together, and every answer right. */
#define PW_THREADS 8

static void *pw_worker(void *arg)
{
	int *wrong = arg;
	char h[RC_PASSWORD_HASH_MAX];
	int ok = 0;
	if (rc_password_hash("correct horse", 13, h) != RC_OK ||
	    rc_password_verify(h, "correct horse", 13, &ok) != RC_OK || !ok)
		(*wrong)++;
	if (rc_password_verify(h, "wrong horse", 11, &ok) != RC_OK || ok)
		(*wrong)++;
	return NULL;
}

static void password_parallel_capped(void **state)
{
	(void)state;
	pthread_t t[PW_THREADS];
	int wrong[PW_THREADS] = {0};
	for (int i = 0; i < PW_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, pw_worker, &wrong[i]), 0);
	for (int i = 0; i < PW_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(wrong[i], 0);
	}
	assert_true(rc_password_busy_max() >= 1);
	assert_true(rc_password_busy_max() <= RC_PASSWORD_PARALLEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hotp_rfc4226),
	    cmocka_unit_test(totp_rfc6238),
	    cmocka_unit_test(hotp_bad_arguments),
	    cmocka_unit_test(totp_window),
	    cmocka_unit_test(totp_replay),
	    cmocka_unit_test(totp_malformed),
	    cmocka_unit_test(totp_secret_new),
	    cmocka_unit_test(base32_rfc4648),
	    cmocka_unit_test(base32_round_trip),
	    cmocka_unit_test(base32_bad),
	    cmocka_unit_test(totp_uri),
	    cmocka_unit_test(password_round_trip),
	    cmocka_unit_test(password_lengths),
	    cmocka_unit_test(password_malformed),
	    cmocka_unit_test(password_rehash),
	    cmocka_unit_test(password_dummy),
	    cmocka_unit_test(password_parallel_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
