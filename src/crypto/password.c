/*
 * password.c -- argon2id password hashes through libsodium: hashing,
 * verification, the rehash check and the dummy verification.
 *
 * libsodium does the hashing; this file adds what it leaves to the caller.
 * crypto_pwhash_str_verify() answers -1 alike for a wrong password and for a
 * string it cannot read, and a damaged hash must not pass for a wrong
 * password -- the account would be locked out with nothing in the logs to
 * say why -- so every hash is parsed here first, strictly, and libsodium
 * sees only strings that parse.  The parser also caps the parameters, since
 * libsodium would try to allocate whatever memory a stored string names.
 *
 * The password is never copied: libsodium reads it in place and wipes its
 * own working memory.  Nothing here touches the crypto backend.
 */
#include "crypto/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <sodium.h>

_Static_assert(RC_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES,
	       "RC_PASSWORD_HASH_MAX is libsodium's crypto_pwhash_STRBYTES");
_Static_assert(RC_PASSWORD_LANES == 1, "libsodium's crypto_pwhash_str hashes with one lane");
_Static_assert(RC_PASSWORD_LEN_MAX <= crypto_pwhash_PASSWD_MAX, "password cap within libsodium's");
_Static_assert((unsigned long long)RC_PASSWORD_MEM_KIB * 1024 >= crypto_pwhash_MEMLIMIT_MIN &&
		   RC_PASSWORD_PASSES >= crypto_pwhash_OPSLIMIT_MIN,
	       "parameters within libsodium's limits");

#define SALT_LEN 16 /* crypto_pwhash_SALTBYTES: what libsodium writes */
#define TAG_LEN  32 /* the tag length libsodium writes */

/* ---- libsodium start-up ------------------------------------------------ */

/* sodium_init() picks the fastest argon2 code for this CPU and must run
 * before the first hash; it is safe to call twice, but doing it once keeps
 * the first logins of several threads from racing to it. */
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ready;

static void sodium_start(void)
{
	sodium_ready = sodium_init() >= 0;
}

static int ready(void)
{
	return pthread_once(&sodium_once, sodium_start) == 0 && sodium_ready;
}

/* ---- how many at once ------------------------------------------------- */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int busy, busy_max;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void enter(void)
{
	pthread_mutex_lock(&gate.lock);
	while (gate.busy >= RC_PASSWORD_PARALLEL)
		pthread_cond_wait(&gate.freed, &gate.lock);
	if (++gate.busy > gate.busy_max)
		gate.busy_max = gate.busy;
	pthread_mutex_unlock(&gate.lock);
}

static void leave(void)
{
	pthread_mutex_lock(&gate.lock);
	gate.busy--;
	pthread_cond_signal(&gate.freed);
	pthread_mutex_unlock(&gate.lock);
}

int rc_password_busy_max(void)
{
	pthread_mutex_lock(&gate.lock);
	int n = gate.busy_max;
	pthread_mutex_unlock(&gate.lock);
	return n;
}

/* ---- the PHC string ---------------------------------------------------- */

struct phc {
	uint32_t m; /* memory, KiB */
	uint32_t t; /* passes */
	uint32_t p; /* lanes */
};

/* Consume the literal `lit` at s[*i..n). */
static int take(const char *s, size_t n, size_t *i, const char *lit)
{
	size_t k = strlen(lit);
	if (n - *i < k || memcmp(s + *i, lit, k) != 0)
		return 0;
	*i += k;
	return 1;
}

/* Consume a decimal number that fits in 32 bits, written the one way the
 * encoders write it: at least one digit, no leading zero. */
static int take_u32(const char *s, size_t n, size_t *i, uint32_t *v)
{
	uint64_t acc = 0;
	size_t start = *i;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		acc = acc * 10 + (uint64_t)(s[*i] - '0');
		if (acc > UINT32_MAX)
			return 0;
		(*i)++;
	}
	if (*i == start || (s[start] == '0' && *i - start > 1))
		return 0;
	*v = (uint32_t)acc;
	return 1;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Consume the unpadded standard base64 of exactly `bytes` bytes, in its
 * canonical form (the unused bits of the last character zero), which is
 * what libsodium's decoder insists on as well. */
static int take_b64(const char *s, size_t n, size_t *i, size_t bytes)
{
	size_t chars = (bytes * 8 + 5) / 6, unused = chars * 6 - bytes * 8;
	if (n - *i < chars)
		return 0;
	for (size_t k = 0; k < chars; k++)
		if (b64_value(s[*i + k]) < 0)
			return 0;
	if (b64_value(s[*i + chars - 1]) & ((1 << unused) - 1))
		return 0;
	*i += chars;
	return 1;
}

/* Parse "$argon2id$v=19$m=M,t=T,p=P$SALT$TAG" with a 16-byte salt and a
 * 32-byte tag.  RC_ERR_SYNTAX for anything else, and for parameters below
 * argon2's minimums (RFC 9106 section 3.1: t >= 1, p >= 1, m >= 8p);
 * RC_ERR_LIMIT above rongcuo's caps.  A cut-off or lengthened string never
 * parses, because the tag's length is fixed. */
static enum rc_err parse(const char *hash, struct phc *h)
{
	size_t n, i = 0;
	if (!hash)
		return RC_ERR_SYNTAX;
	n = strnlen(hash, RC_PASSWORD_HASH_MAX);
	if (n == RC_PASSWORD_HASH_MAX)
		return RC_ERR_SYNTAX;
	if (!take(hash, n, &i, "$argon2id$v=19$m=") || !take_u32(hash, n, &i, &h->m) ||
	    !take(hash, n, &i, ",t=") || !take_u32(hash, n, &i, &h->t) ||
	    !take(hash, n, &i, ",p=") || !take_u32(hash, n, &i, &h->p) || !take(hash, n, &i, "$") ||
	    !take_b64(hash, n, &i, SALT_LEN) || !take(hash, n, &i, "$") ||
	    !take_b64(hash, n, &i, TAG_LEN) || i != n)
		return RC_ERR_SYNTAX;
	if (h->t < 1 || h->p < 1)
		return RC_ERR_SYNTAX;
	if (h->m > RC_PASSWORD_MEM_KIB_MAX || h->t > RC_PASSWORD_PASSES_MAX ||
	    h->p > RC_PASSWORD_LANES_MAX)
		return RC_ERR_LIMIT;
	if (h->m < 8 * h->p)
		return RC_ERR_SYNTAX;
	return RC_OK;
}

/* ---- hashing and verifying -------------------------------------------- */

static int length_ok(const char *password, size_t len)
{
	return password && len >= RC_PASSWORD_LEN_MIN && len <= RC_PASSWORD_LEN_MAX;
}

enum rc_err rc_password_hash(const char *password, size_t len, char out[RC_PASSWORD_HASH_MAX])
{
	enum rc_err e = RC_OK;
	struct phc h;
	memset(out, 0, RC_PASSWORD_HASH_MAX);
	if (!length_ok(password, len)) {
		e = RC_ERR_RANGE;
		goto out;
	}
	if (!ready()) {
		e = RC_ERR_INTERNAL;
		goto out;
	}
	enter();
	errno = 0;
	int r =
	    crypto_pwhash_str_alg(out, password, len, RC_PASSWORD_PASSES,
				  (size_t)RC_PASSWORD_MEM_KIB * 1024, crypto_pwhash_ALG_ARGON2ID13);
	int err = errno;
	leave();
	errno = err;
	if (r != 0) {
		/* The arguments are fixed and checked, so only the memory can
		 * be missing. */
		e = errno == ENOMEM ? RC_ERR_NOMEM : RC_ERR_INTERNAL;
		goto out;
	}
	/* Every hash written must be one that rc_password_verify() reads; a
	 * libsodium that wrote another salt or tag length would be caught
	 * here, at the first hash, not at the first login after it. */
	if (parse(out, &h) != RC_OK || h.m != RC_PASSWORD_MEM_KIB || h.t != RC_PASSWORD_PASSES ||
	    h.p != RC_PASSWORD_LANES) {
		e = RC_ERR_INTERNAL;
		goto out;
	}
out:
	if (e)
		memset(out, 0, RC_PASSWORD_HASH_MAX);
	return e;
}

/* The verification shared by rc_password_verify() and the dummy, so that
 * the two cannot drift apart in cost. */
static enum rc_err verify(const char *hash, const char *password, size_t len, int *ok)
{
	enum rc_err e = RC_OK;
	struct phc h;
	/* libsodium's prototype promises a crypto_pwhash_STRBYTES array; a
	 * shorter string literal would be read past its end as far as the
	 * compiler can tell, so the hash goes through a full-size copy. */
	char str[RC_PASSWORD_HASH_MAX] = "";
	*ok = 0;
	if (!length_ok(password, len)) {
		e = RC_ERR_RANGE;
		goto out;
	}
	e = parse(hash, &h);
	if (e)
		goto out;
	if (!ready()) {
		e = RC_ERR_INTERNAL;
		goto out;
	}
	memcpy(str, hash, strlen(hash));
	enter();
	errno = 0;
	int r = crypto_pwhash_argon2id_str_verify(str, password, len);
	int err = errno;
	leave();
	errno = err;
	if (r == 0) {
		*ok = 1;
		goto out;
	}
	/* libsodium sets EINVAL for a mismatch (its tag comparison is
	 * sodium_memcmp, constant-time) and leaves errno alone when argon2
	 * itself fails; after the parse above only the memory can. */
	if (errno != EINVAL)
		e = errno == ENOMEM ? RC_ERR_NOMEM : RC_ERR_INTERNAL;
out:
	return e;
}

enum rc_err rc_password_verify(const char *hash, const char *password, size_t len, int *ok)
{
	return verify(hash, password, len, ok);
}

int rc_password_needs_rehash(const char *hash)
{
	struct phc h;
	if (parse(hash, &h) != RC_OK)
		return -1;
	/* Weaker only: a hash made stronger on purpose is kept.  The lanes do
	 * not count, because they split the same memory and passes. */
	return h.m < RC_PASSWORD_MEM_KIB || h.t < RC_PASSWORD_PASSES;
}

/* ---- the dummy --------------------------------------------------------- */

#define STR_(x) #x
#define STR(x)  STR_(x)

/* argon2id of "rongcuo dummy password" with the salt "rongcuo-dummy-v1",
 * computed with Python's cryptography package.  Its parameters are spelled
 * from the header's macros, so that the dummy always costs what a current
 * hash costs; if they change, the tag no longer matches any password, which
 * does not matter -- the result is thrown away. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=" STR(RC_PASSWORD_MEM_KIB) ",t=" STR(RC_PASSWORD_PASSES) ",p=" STR(
	RC_PASSWORD_LANES) "$cm9uZ2N1by1kdW1teS12MQ$NCkLQT18+pDZA3TxN67BOS1RiDSnOcYxbT+uW3h0wSk";

const char *rc_password_dummy_hash(void)
{
	return dummy_hash;
}

enum rc_err rc_password_dummy_verify(const char *password, size_t len)
{
	int ok;
	return verify(dummy_hash, password, len, &ok);
}
