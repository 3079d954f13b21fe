/*
 * crypto.c -- the front end of the crypto module: backend selection, SM3 and
 * HMAC-SM3 contexts, random bytes, SM2, and the software helpers (constant-
 * time comparison, wiping, hex).
 *
 * The front end checks arguments once, so that every backend can rely on
 * them, and wraps backend contexts so that a context always goes back to the
 * backend that made it even if another backend is installed meanwhile.
 */
#include "crypto/crypto.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* NULL means the default.  Atomic so that installing a backend at start-up
 * and reading it from worker threads is not a data race. */
static _Atomic(const struct rc_crypto_ops *) installed;

const struct rc_crypto_ops *rc_crypto_backend(void)
{
	const struct rc_crypto_ops *ops = atomic_load(&installed);
	return ops ? ops : rc_crypto_default();
}

enum rc_err rc_crypto_set_backend(const struct rc_crypto_ops *ops)
{
	if (ops) {
		if (ops->version != RC_CRYPTO_OPS_VERSION || !ops->name || !ops->sm3_new ||
		    !ops->sm3_update || !ops->sm3_final || !ops->sm3_free || !ops->hmac_sm3_new ||
		    !ops->hmac_sm3_update || !ops->hmac_sm3_final || !ops->hmac_sm3_free ||
		    !ops->hmac_sm3_reset || !ops->sm4_ecb || !ops->sm4_ctr || !ops->random ||
		    !ops->sm2_keygen || !ops->sm2_public || !ops->sm2_sign || !ops->sm2_verify)
			return RC_ERR_RANGE;
	}
	atomic_store(&installed, ops);
	return RC_OK;
}

/* ---- SM3 and HMAC-SM3 contexts ----------------------------------------- */

/* One wrapper serves both kinds of context: the backend that made it, the
 * backend's context, and whether final has been called (a second final, or
 * an update after it, is a bug in the caller that the backends need not
 * guard against). */
struct rc_sm3_ctx {
	const struct rc_crypto_ops *ops;
	void *impl;
	int done;
};

struct rc_hmac_sm3_ctx {
	const struct rc_crypto_ops *ops;
	void *impl;
	int done;
};

enum rc_err rc_sm3_init(struct rc_sm3_ctx **ctx)
{
	enum rc_err e = RC_OK;
	struct rc_sm3_ctx *c = calloc(1, sizeof(*c));
	*ctx = NULL;
	if (!c) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	c->ops = rc_crypto_backend();
	e = c->ops->sm3_new(&c->impl);
	if (e)
		goto out;
	*ctx = c;
	c = NULL;
out:
	free(c);
	return e;
}

enum rc_err rc_sm3_update(struct rc_sm3_ctx *ctx, const void *data, size_t len)
{
	if (ctx->done)
		return RC_ERR_INTERNAL;
	if (!data && len)
		return RC_ERR_RANGE;
	if (!len)
		return RC_OK;
	return ctx->ops->sm3_update(ctx->impl, data, len);
}

enum rc_err rc_sm3_final(struct rc_sm3_ctx *ctx, uint8_t out[RC_SM3_LEN])
{
	if (ctx->done)
		return RC_ERR_INTERNAL;
	ctx->done = 1;
	return ctx->ops->sm3_final(ctx->impl, out);
}

void rc_sm3_free(struct rc_sm3_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->ops->sm3_free(ctx->impl);
	free(ctx);
}

enum rc_err rc_sm3(const void *data, size_t len, uint8_t out[RC_SM3_LEN])
{
	struct rc_sm3_ctx *c = NULL;
	enum rc_err e;
	if (!data && len)
		return RC_ERR_RANGE;
	e = rc_sm3_init(&c);
	if (e)
		goto out;
	e = rc_sm3_update(c, data, len);
	if (e)
		goto out;
	e = rc_sm3_final(c, out);
out:
	rc_sm3_free(c);
	return e;
}

enum rc_err rc_hmac_sm3_init(struct rc_hmac_sm3_ctx **ctx, const void *key, size_t key_len)
{
	static const uint8_t no_key[1];
	enum rc_err e = RC_OK;
	struct rc_hmac_sm3_ctx *c = NULL;
	*ctx = NULL;
	if (!key && key_len)
		return RC_ERR_RANGE;
	c = calloc(1, sizeof(*c));
	if (!c) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	c->ops = rc_crypto_backend();
	/* Backends get a valid pointer even for the empty key. */
	e = c->ops->hmac_sm3_new(&c->impl, key_len ? key : no_key, key_len);
	if (e)
		goto out;
	*ctx = c;
	c = NULL;
out:
	free(c);
	return e;
}

enum rc_err rc_hmac_sm3_update(struct rc_hmac_sm3_ctx *ctx, const void *data, size_t len)
{
	if (ctx->done)
		return RC_ERR_INTERNAL;
	if (!data && len)
		return RC_ERR_RANGE;
	if (!len)
		return RC_OK;
	return ctx->ops->hmac_sm3_update(ctx->impl, data, len);
}

enum rc_err rc_hmac_sm3_final(struct rc_hmac_sm3_ctx *ctx, uint8_t out[RC_SM3_LEN])
{
	if (ctx->done)
		return RC_ERR_INTERNAL;
	ctx->done = 1;
	return ctx->ops->hmac_sm3_final(ctx->impl, out);
}

enum rc_err rc_hmac_sm3_reset(struct rc_hmac_sm3_ctx *ctx)
{
	enum rc_err e = ctx->ops->hmac_sm3_reset(ctx->impl);
	/* on failure the context stays finished: no update or final on a
	 * state nobody knows */
	ctx->done = e != RC_OK;
	return e;
}

void rc_hmac_sm3_free(struct rc_hmac_sm3_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->ops->hmac_sm3_free(ctx->impl);
	free(ctx);
}

enum rc_err rc_hmac_sm3(const void *key, size_t key_len, const void *data, size_t len,
			uint8_t out[RC_SM3_LEN])
{
	struct rc_hmac_sm3_ctx *c = NULL;
	enum rc_err e;
	if (!data && len)
		return RC_ERR_RANGE;
	e = rc_hmac_sm3_init(&c, key, key_len);
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, data, len);
	if (e)
		goto out;
	e = rc_hmac_sm3_final(c, out);
out:
	rc_hmac_sm3_free(c);
	return e;
}

/* ---- random bytes ------------------------------------------------------ */

enum rc_err rc_random_bytes(void *out, size_t len)
{
	if (!len)
		return RC_OK;
	if (!out)
		return RC_ERR_RANGE;
	return rc_crypto_backend()->random(out, len);
}

/* ---- SM2 --------------------------------------------------------------- */

/* An empty or absent PEM can never parse; say so here rather than in every
 * backend. */
static int pem_ok(const char *pem, size_t len)
{
	return pem && len > 0;
}

enum rc_err rc_sm2_keygen(char **priv_pem, char **pub_pem)
{
	*priv_pem = NULL;
	*pub_pem = NULL;
	return rc_crypto_backend()->sm2_keygen(priv_pem, pub_pem);
}

enum rc_err rc_sm2_public_pem(const char *priv_pem, size_t priv_len, char **pub_pem)
{
	*pub_pem = NULL;
	if (!pem_ok(priv_pem, priv_len))
		return RC_ERR_SYNTAX;
	return rc_crypto_backend()->sm2_public(priv_pem, priv_len, pub_pem);
}

enum rc_err rc_sm2_sign(const char *priv_pem, size_t priv_len, const void *msg, size_t msg_len,
			uint8_t sig[RC_SM2_SIG_MAX], size_t *sig_len)
{
	static const uint8_t empty[1];
	*sig_len = 0;
	if (!pem_ok(priv_pem, priv_len))
		return RC_ERR_SYNTAX;
	if (!msg && msg_len)
		return RC_ERR_RANGE;
	return rc_crypto_backend()->sm2_sign(priv_pem, priv_len, msg_len ? msg : empty, msg_len,
					     sig, sig_len);
}

enum rc_err rc_sm2_verify(const char *pub_pem, size_t pub_len, const void *msg, size_t msg_len,
			  const uint8_t *sig, size_t sig_len, int *valid)
{
	static const uint8_t empty[1];
	enum rc_err e;
	*valid = 0;
	if (!pem_ok(pub_pem, pub_len))
		return RC_ERR_SYNTAX;
	if ((!msg && msg_len) || (!sig && sig_len))
		return RC_ERR_RANGE;
	e = rc_crypto_backend()->sm2_verify(pub_pem, pub_len, msg_len ? msg : empty, msg_len,
					    sig_len ? sig : empty, sig_len, valid);
	if (e)
		*valid = 0;
	return e;
}

void rc_crypto_free_pem(char *pem)
{
	if (!pem)
		return;
	OPENSSL_cleanse(pem, strlen(pem));
	free(pem);
}

/* ---- helpers ------------------------------------------------------------ */

int rc_crypto_equal(const void *a, const void *b, size_t len)
{
	if (!len)
		return 1;
	return CRYPTO_memcmp(a, b, len) == 0;
}

void rc_crypto_wipe(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}

void rc_hex(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum rc_err rc_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
	*out_len = 0;
	if (hex_len % 2)
		return RC_ERR_SYNTAX;
	if (hex_len / 2 > out_cap)
		return RC_ERR_RANGE;
	for (size_t i = 0; i < hex_len; i += 2) {
		int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return RC_ERR_SYNTAX;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*out_len = hex_len / 2;
	return RC_OK;
}
