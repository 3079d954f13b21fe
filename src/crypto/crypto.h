/*
 * crypto.h -- the one cryptographic interface of rongcuo: SM3, HMAC-SM3,
 * SM4 authenticated encryption, random bytes and SM2 signatures.
 *
 * Every cryptographic operation in rongcuo goes through this header, so that
 * a certified device (a GM/T 0018 cipher card, say) can take the place of the
 * software implementation without any other module noticing.  The primitives
 * live in a backend, `struct rc_crypto_ops`, a table of function pointers in
 * the manner of SQLite's VFS.  The default backend is OpenSSL 3
 * (rc_crypto_default()); rc_crypto_set_backend() installs another one.  The
 * functions below (rc_sm3(), rc_sm4_seal(), rc_sm2_sign() ...) are the
 * interface the rest of rongcuo uses; they dispatch to the installed backend
 * and add the parts that are the same whatever the backend: argument checks,
 * the sealed-box format, constant-time comparison, hex.
 *
 * Errors: every fallible function returns an `enum rc_err` (core/err.h):
 *   RC_ERR_RANGE     a size is wrong (key length, output buffer too small)
 *   RC_ERR_SYNTAX    input is malformed (PEM text, hex, a sealed box; an
 *                    SM4 box that fails authentication is reported the same)
 *   RC_ERR_TYPE      a PEM key is well-formed but not an SM2 key
 *   RC_ERR_NOMEM     an allocation failed
 *   RC_ERR_INTERNAL  the backend (OpenSSL, the device) failed, or the API
 *                    was misused (update after final)
 * Nothing in this module prints anything, and secrets never appear in error
 * paths.  Key material held internally is wiped with OPENSSL_cleanse().
 *
 * Thread safety: every function may be called from several threads at once,
 * except that one context (rc_sm3_ctx, rc_hmac_sm3_ctx) is used by one thread
 * at a time.  See docs/modules/crypto.md.
 *
 * The last section, authentication (argon2id passwords, TOTP, base32), is
 * software outside the backend, with two more errors; it says why there.
 */
#ifndef RC_CRYPTO_H
#define RC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RC_SM3_LEN       32 /* SM3 digest and HMAC-SM3 tag, bytes */
#define RC_SM4_KEY_LEN   16 /* SM4 key, bytes */
#define RC_SM4_BLOCK_LEN 16 /* SM4 block, bytes */

/* Sealed box (rc_sm4_seal): header || IV || ciphertext || tag. */
#define RC_SM4_SEAL_HEADER_LEN 4
#define RC_SM4_SEAL_IV_LEN     16
#define RC_SM4_SEAL_TAG_LEN    32
#define RC_SM4_SEAL_OVERHEAD   (RC_SM4_SEAL_HEADER_LEN + RC_SM4_SEAL_IV_LEN + RC_SM4_SEAL_TAG_LEN)

#define RC_SM2_SIG_MAX        72                 /* largest DER-encoded SM2 signature, bytes */
#define RC_SM2_DEFAULT_ID     "1234567812345678" /* GM/T 0009-2012, the signer's ID */
#define RC_SM2_DEFAULT_ID_LEN 16

#define RC_CRYPTO_OPS_VERSION 2

/* ---- backends ------------------------------------------------------------ */

/*
 * A backend: the primitives rongcuo needs, nothing more.  Every member must
 * be set.  The members follow the conventions of the public functions below
 * (same errors, same ownership); the front end has already checked the
 * arguments that it documents as checked (key lengths, NULL with non-zero
 * length), so a backend may assume them.
 *
 * Contexts are the backend's own objects behind `void *`.  PEM strings that
 * a backend returns must come from malloc() and be NUL-terminated, because
 * the caller frees them with rc_crypto_free_pem().
 */
struct rc_crypto_ops {
	int version;      /* RC_CRYPTO_OPS_VERSION */
	const char *name; /* for logs: "openssl", "sdf-card" ... */

	/* SM3 (GB/T 32905-2016), incremental. */
	enum rc_err (*sm3_new)(void **ctx);
	enum rc_err (*sm3_update)(void *ctx, const void *data, size_t len);
	enum rc_err (*sm3_final)(void *ctx, uint8_t out[RC_SM3_LEN]);
	void (*sm3_free)(void *ctx); /* NULL-safe */

	/* HMAC-SM3 (RFC 2104 with SM3), incremental; any key length. */
	enum rc_err (*hmac_sm3_new)(void **ctx, const void *key, size_t key_len);
	enum rc_err (*hmac_sm3_update)(void *ctx, const void *data, size_t len);
	enum rc_err (*hmac_sm3_final)(void *ctx, uint8_t out[RC_SM3_LEN]);
	void (*hmac_sm3_free)(void *ctx); /* NULL-safe */
	/* Start a new message under the same key, whatever state the context
	 * is in (after final, or part-way through a message). */
	enum rc_err (*hmac_sm3_reset)(void *ctx);

	/* SM4 (GB/T 32907-2016).  sm4_ecb encrypts (encrypt != 0) or decrypts
	 * n_blocks whole blocks, the raw block cipher; sm4_ctr is counter mode
	 * with a 128-bit big-endian counter starting at iv, the same operation
	 * for encryption and decryption.  in == out is allowed, partial
	 * overlap is not. */
	enum rc_err (*sm4_ecb)(const uint8_t key[RC_SM4_KEY_LEN], int encrypt, const uint8_t *in,
			       uint8_t *out, size_t n_blocks);
	enum rc_err (*sm4_ctr)(const uint8_t key[RC_SM4_KEY_LEN],
			       const uint8_t iv[RC_SM4_BLOCK_LEN], const uint8_t *in, uint8_t *out,
			       size_t len);

	/* Cryptographically secure random bytes. */
	enum rc_err (*random)(void *out, size_t len);

	/* SM2 (GB/T 32918-2016) with SM3 and the signer ID RC_SM2_DEFAULT_ID. */
	enum rc_err (*sm2_keygen)(char **priv_pem, char **pub_pem);
	enum rc_err (*sm2_public)(const char *priv_pem, size_t priv_len, char **pub_pem);
	enum rc_err (*sm2_sign)(const char *priv_pem, size_t priv_len, const void *msg,
				size_t msg_len, uint8_t sig[RC_SM2_SIG_MAX], size_t *sig_len);
	enum rc_err (*sm2_verify)(const char *pub_pem, size_t pub_len, const void *msg,
				  size_t msg_len, const uint8_t *sig, size_t sig_len, int *valid);
};

/* The OpenSSL 3 backend.  Static; never NULL. */
const struct rc_crypto_ops *rc_crypto_default(void);

/* The backend in use: the one last installed, else rc_crypto_default(). */
const struct rc_crypto_ops *rc_crypto_backend(void);

/* Install `ops` as the backend for every later call; NULL restores the
 * default.  `ops` is borrowed and must outlive its use.  Contexts created
 * before the switch keep the backend that created them.  Meant to be called
 * once at start-up, before the first cryptographic operation.
 * RC_ERR_RANGE when ops->version is not RC_CRYPTO_OPS_VERSION or a member
 * is NULL; the backend in use is then unchanged. */
enum rc_err rc_crypto_set_backend(const struct rc_crypto_ops *ops);

/* ---- SM3 ----------------------------------------------------------------- */

struct rc_sm3_ctx; /* opaque */

/* SM3 digest of data[0..len) into out.  data may be NULL when len is 0
 * (RC_ERR_RANGE otherwise). */
enum rc_err rc_sm3(const void *data, size_t len, uint8_t out[RC_SM3_LEN]);

/* A new incremental SM3 context in *ctx; the caller frees it with
 * rc_sm3_free().  *ctx is NULL on error. */
enum rc_err rc_sm3_init(struct rc_sm3_ctx **ctx);

/* Feed data[0..len) (NULL allowed when len is 0).  RC_ERR_INTERNAL after
 * rc_sm3_final(). */
enum rc_err rc_sm3_update(struct rc_sm3_ctx *ctx, const void *data, size_t len);

/* The digest of everything fed so far into out.  The context is finished:
 * further update or final calls fail with RC_ERR_INTERNAL; free it. */
enum rc_err rc_sm3_final(struct rc_sm3_ctx *ctx, uint8_t out[RC_SM3_LEN]);

/* Free a context; NULL-safe. */
void rc_sm3_free(struct rc_sm3_ctx *ctx);

/* ---- HMAC-SM3 ------------------------------------------------------------ */

struct rc_hmac_sm3_ctx; /* opaque */

/* HMAC-SM3 of data[0..len) under key[0..key_len) into out.  Any key length,
 * including 0; NULL pointers are allowed with length 0. */
enum rc_err rc_hmac_sm3(const void *key, size_t key_len, const void *data, size_t len,
			uint8_t out[RC_SM3_LEN]);

/* A new incremental HMAC-SM3 context keyed with key[0..key_len), in *ctx;
 * the key is copied (the caller may wipe its own copy at once) and wiped when
 * the context is freed.  The caller frees with rc_hmac_sm3_free(). */
enum rc_err rc_hmac_sm3_init(struct rc_hmac_sm3_ctx **ctx, const void *key, size_t key_len);

/* Same rules as rc_sm3_update() / rc_sm3_final() / rc_sm3_free(). */
enum rc_err rc_hmac_sm3_update(struct rc_hmac_sm3_ctx *ctx, const void *data, size_t len);
enum rc_err rc_hmac_sm3_final(struct rc_hmac_sm3_ctx *ctx, uint8_t out[RC_SM3_LEN]);
void rc_hmac_sm3_free(struct rc_hmac_sm3_ctx *ctx);

/* Start a new message on the same context, under the same key: the next
 * update begins a fresh HMAC, as if the context had just been created.
 * Cheaper than a new context (the keyed state is kept, the key is not
 * processed again): for one MAC after another, as the audit chain does. */
enum rc_err rc_hmac_sm3_reset(struct rc_hmac_sm3_ctx *ctx);

/* ---- helpers (software, not part of a backend) --------------------------- */

/* 1 when a[0..len) equals b[0..len), else 0, in time that depends on len
 * only (CRYPTO_memcmp).  Use it for every comparison of a MAC or digest
 * against an expected value. */
int rc_crypto_equal(const void *a, const void *b, size_t len);

/* Overwrite p[0..len) with zeros in a way the compiler cannot drop
 * (OPENSSL_cleanse).  NULL-safe. */
void rc_crypto_wipe(void *p, size_t len);

/* Lower-case hex of in[0..len) into out, which must hold 2 * len + 1 bytes;
 * always NUL-terminated. */
void rc_hex(const uint8_t *in, size_t len, char *out);

/* Decode hex[0..hex_len) (either case, no separators) into out, which holds
 * out_cap bytes; *out_len = hex_len / 2.  RC_ERR_SYNTAX for an odd length or
 * a non-hex character, RC_ERR_RANGE when out_cap is too small; out is then
 * unspecified. */
enum rc_err rc_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t out_cap,
		     size_t *out_len);

/* ---- random bytes -------------------------------------------------------- */

/* Fill out[0..len) with cryptographically secure random bytes from the
 * backend (OpenSSL's RAND_bytes by default). */
enum rc_err rc_random_bytes(void *out, size_t len);

/* ---- SM4 sealed boxes (authenticated encryption for data at rest) -------- */

/*
 * Construction (version 1, docs/modules/crypto.md): SM4-CTR then HMAC-SM3
 * (encrypt-then-MAC), with separate encryption and MAC keys derived from the
 * 16-byte key by HMAC-SM3 and a fresh random 16-byte IV per box:
 *
 *   box = "SM4" 0x01 || IV[16] || SM4-CTR(K_enc, IV, plaintext) || tag[32]
 *   tag = HMAC-SM3(K_mac, header || aad || IV || ciphertext || be64(aad_len))
 *
 * `aad` is associated data: authenticated, not encrypted, not stored in the
 * box (pass the same bytes to rc_sm4_open; a record's id, for instance, so a
 * box cannot be moved to another record).
 */

/* The size of the box for plain_len bytes of plaintext, or 0 when it would
 * overflow size_t. */
size_t rc_sm4_sealed_len(size_t plain_len);

/* Seal plain[0..plain_len) under key[0..key_len) into out[0..out_cap);
 * *out_len = rc_sm4_sealed_len(plain_len).  out must not overlap the inputs.
 * RC_ERR_RANGE when key_len is not RC_SM4_KEY_LEN, when out_cap is too
 * small or the size overflows, or for NULL with a non-zero length.  On error
 * out[0..out_cap) holds nothing of the plaintext. */
enum rc_err rc_sm4_seal(const uint8_t *key, size_t key_len, const void *aad, size_t aad_len,
			const void *plain, size_t plain_len, uint8_t *out, size_t out_cap,
			size_t *out_len);

/* Open a box made by rc_sm4_seal: check the tag first, and only if it
 * matches decrypt into out[0..out_cap); *out_len = sealed_len -
 * RC_SM4_SEAL_OVERHEAD.  out must not overlap the inputs.
 * RC_ERR_SYNTAX when the box is too short, has an unknown header, or fails
 * authentication -- tampered, truncated, another key or other aad, which are
 * deliberately indistinguishable; out is then untouched.  RC_ERR_RANGE for a
 * wrong key length or when out_cap is too small. */
enum rc_err rc_sm4_open(const uint8_t *key, size_t key_len, const void *aad, size_t aad_len,
			const uint8_t *sealed, size_t sealed_len, uint8_t *out, size_t out_cap,
			size_t *out_len);

/* ---- SM2 signatures ------------------------------------------------------ */

/*
 * Keys are PEM text: private keys as unencrypted PKCS#8 ("BEGIN PRIVATE
 * KEY"), public keys as SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), the forms
 * `openssl genpkey -algorithm SM2` writes.  Input PEM is a length-carrying
 * slice (pem, pem_len); it need not be NUL-terminated.  Signatures are DER
 * SEQUENCE { r INTEGER, s INTEGER } (GM/T 0009-2012) over SM3(Z_A || msg),
 * Z_A computed with the ID RC_SM2_DEFAULT_ID.  Protecting a private key file
 * at rest is the caller's business.
 */

/* A new SM2 key pair.  *priv_pem and *pub_pem are NUL-terminated strings the
 * caller frees with rc_crypto_free_pem(); both are NULL on error. */
enum rc_err rc_sm2_keygen(char **priv_pem, char **pub_pem);

/* The public key PEM of a private key PEM; caller frees *pub_pem with
 * rc_crypto_free_pem().  RC_ERR_SYNTAX when priv_pem is not a readable
 * unencrypted private key, RC_ERR_TYPE when it is not an SM2 key. */
enum rc_err rc_sm2_public_pem(const char *priv_pem, size_t priv_len, char **pub_pem);

/* Sign msg[0..msg_len) with the private key; the DER signature goes to
 * sig[0..*sig_len), *sig_len <= RC_SM2_SIG_MAX.  Errors as for
 * rc_sm2_public_pem(). */
enum rc_err rc_sm2_sign(const char *priv_pem, size_t priv_len, const void *msg, size_t msg_len,
			uint8_t sig[RC_SM2_SIG_MAX], size_t *sig_len);

/* Verify sig[0..sig_len) over msg[0..msg_len) with the public key.  Returns
 * RC_OK and sets *valid to 1 for a good signature and 0 for anything else
 * (wrong, malformed, empty, too long); an error only when the check could not
 * be made: RC_ERR_SYNTAX when pub_pem is not a readable public key,
 * RC_ERR_TYPE when it is not SM2.  *valid is 0 on every error. */
enum rc_err rc_sm2_verify(const char *pub_pem, size_t pub_len, const void *msg, size_t msg_len,
			  const uint8_t *sig, size_t sig_len, int *valid);

/* Wipe and free a PEM string returned by this module; NULL-safe. */
void rc_crypto_free_pem(char *pem);

/* ==== authentication: passwords and one-time codes ======================= */

/*
 * Not part of the backend, and not national algorithms: the two standards
 * that people's passwords and phones already speak.  Passwords are hashed
 * with argon2id (RFC 9106) through libsodium -- no SM3-based password hash
 * is memory-hard, and OpenSSL 3.0 has no Argon2.  One-time codes are TOTP
 * (RFC 6238) with HMAC-SHA1 through OpenSSL, because SHA-1 is the one
 * algorithm every authenticator app implements; HMAC-SHA1 is still a sound
 * PRF, which is all HOTP needs of it (RFC 4226 Appendix A).  A cipher card
 * has nothing to offer here, so these functions never go through
 * rc_crypto_backend() (except rc_totp_secret_new(), which draws its bytes
 * from rc_random_bytes()).
 *
 * Errors, beyond those of the top of this header:
 *   RC_ERR_LIMIT     the output does not fit the caller's buffer (base32,
 *                    the otpauth URI), or a stored password hash asks for
 *                    more than the caps below
 *   RC_ERR_CONFLICT  a one-time code is wrong or was already used
 * RC_ERR_SYNTAX is a malformed password hash, base32 text, issuer or
 * account; RC_ERR_RANGE a length out of bounds (password, secret, digits).
 */

/* ---- passwords (argon2id) ------------------------------------------------ */

/* The parameters of every new hash: argon2id with 19 MiB, 2 passes, 1 lane,
 * the first choice of the OWASP Password Storage Cheat Sheet, which OWASP
 * ASVS points to for parameters (14 ms on one x86-64 core with AVX2,
 * measured).  Plain decimal literals: password.c spells them into its dummy
 * hash. */
#define RC_PASSWORD_MEM_KIB 19456
#define RC_PASSWORD_PASSES  2
#define RC_PASSWORD_LANES   1

/* A password is 1 to 1024 bytes, any bytes (UTF-8 as typed; rongcuo does
 * not normalise it). */
#define RC_PASSWORD_LEN_MIN 1
#define RC_PASSWORD_LEN_MAX 1024

/* Room for a PHC string and its NUL (libsodium's crypto_pwhash_STRBYTES). */
#define RC_PASSWORD_HASH_MAX 128

/* A stored hash may ask for at most this much; anything more is refused
 * (RC_ERR_LIMIT) rather than computed, so that a tampered row cannot make
 * every login allocate gigabytes. */
#define RC_PASSWORD_MEM_KIB_MAX (1024 * 1024)
#define RC_PASSWORD_PASSES_MAX  64
#define RC_PASSWORD_LANES_MAX   16

/* At most this many hashes or verifications run at once in a process; the
 * others wait their turn.  A server on many threads would otherwise give
 * each concurrent log-in -- an unauthenticated flood of them -- its 19 MiB
 * at once.  rc_password_busy_max() is the most that ever ran at once (for
 * the tests). */
#define RC_PASSWORD_PARALLEL 4
int rc_password_busy_max(void);

/* Hash password[0..len) into out, a NUL-terminated PHC string
 * "$argon2id$v=19$m=19456,t=2,p=1$SALT$TAG" (16-byte random salt, 32-byte
 * tag, both unpadded base64).  RC_ERR_RANGE when len is outside
 * [RC_PASSWORD_LEN_MIN, RC_PASSWORD_LEN_MAX] or password is NULL;
 * RC_ERR_NOMEM when the 19 MiB could not be had.  out is "" on error. */
enum rc_err rc_password_hash(const char *password, size_t len, char out[RC_PASSWORD_HASH_MAX]);

/* Check password[0..len) against hash (NUL-terminated, as made by
 * rc_password_hash() or another argon2id implementation with a 16-byte
 * salt and a 32-byte tag).  RC_OK with *ok = 1 for the right password and
 * *ok = 0 for a wrong one; the tag is compared in constant time.  Errors,
 * with *ok = 0: RC_ERR_RANGE for the password's length; RC_ERR_SYNTAX when
 * hash is not such a string (another algorithm, truncated, extended,
 * non-canonical base64, ...) -- a damaged hash is never "wrong password";
 * RC_ERR_LIMIT when its parameters exceed the caps above; RC_ERR_NOMEM.
 * The work is that of the hash's own parameters. */
enum rc_err rc_password_verify(const char *hash, const char *password, size_t len, int *ok);

/* 1 when hash should be replaced by a new rc_password_hash() of the same
 * password (its memory or its passes are below the current parameters),
 * 0 when it is at least as strong, -1 when it is malformed or exceeds the
 * caps.  Call it after a successful verify, while the password is at
 * hand. */
int rc_password_needs_rehash(const char *hash);

/* Spend what rc_password_verify() spends on a hash with the current
 * parameters, and discard the result: call it when the account does not
 * exist, so that a failed login takes the same time either way and does
 * not reveal which user names exist.  RC_ERR_RANGE for the length, as
 * rc_password_verify(); otherwise RC_OK (or RC_ERR_NOMEM). */
enum rc_err rc_password_dummy_verify(const char *password, size_t len);

/* The hash the dummy verifies against (static), so that a test can check
 * that it has the current parameters -- the dummy's cost is a matter of
 * its parameters, which a test can see, not of timings, which it must not
 * depend on. */
const char *rc_password_dummy_hash(void);

/* ---- one-time codes (HOTP, TOTP) ----------------------------------------- */

#define RC_TOTP_SECRET_LEN 20 /* bytes of a new secret: 160 bits, RFC 4226 */
#define RC_TOTP_SECRET_MIN 16 /* RFC 4226 R6: at least 128 bits */
#define RC_TOTP_SECRET_MAX 64
#define RC_TOTP_DIGITS     6
#define RC_TOTP_PERIOD     30 /* seconds; T0 = 0 */

/* HOTP (RFC 4226): HMAC-SHA1 of the 8-byte big-endian counter under
 * secret[0..len), dynamically truncated, modulo 10^digits, into *code.
 * RC_ERR_RANGE when len is outside [RC_TOTP_SECRET_MIN, RC_TOTP_SECRET_MAX]
 * or digits outside 6..8.  *code is 0 on error.  Print it with leading
 * zeros ("%0*u"). */
enum rc_err rc_hotp(const uint8_t *secret, size_t len, uint64_t counter, int digits,
		    uint32_t *code);

/* Check a 6-digit TOTP code (RFC 6238, 30-second steps from T0 = 0) typed
 * at unix_time.  The code may be that of the current step or of one step
 * either side (clock drift), and its step must be later than last_step,
 * the step of the last code this account accepted (-1 for none): a code
 * is good once only, and after a later one an earlier one is no good
 * either.  On RC_OK, *step is the step matched; store it as the account's
 * new last_step before answering the login.  *step is written on success
 * only, so &last_step itself may be passed.
 * RC_ERR_RANGE when code is not exactly 6 ASCII digits, unix_time is
 * negative, or the secret's length is wrong; RC_ERR_CONFLICT when the
 * code is wrong or replayed (deliberately one error).  The three candidate
 * codes are always computed and compared in constant time. */
enum rc_err rc_totp_verify(const uint8_t *secret, size_t len, const char *code, int64_t unix_time,
			   int64_t last_step, int64_t *step);

/* RC_TOTP_SECRET_LEN new random bytes from rc_random_bytes().  Keep them
 * sealed at rest (rc_sm4_seal); wipe copies with rc_crypto_wipe(). */
enum rc_err rc_totp_secret_new(uint8_t out[RC_TOTP_SECRET_LEN]);

/* Characters of the unpadded base32 of n bytes, without the NUL; for
 * buffers sized at compile time (n must not overflow 8 * n). */
#define RC_BASE32_LEN(n) (((n)*8 + 4) / 5)

/* Base32 (RFC 4648 section 6, upper case) of in[0..len) into out, without
 * '=' padding, NUL-terminated; *out_len is the number of characters,
 * RC_BASE32_LEN(len).  RC_ERR_LIMIT when out_cap < RC_BASE32_LEN(len) + 1;
 * RC_ERR_RANGE for NULL with a non-zero length.  out is untouched on
 * error.  In constant time: the input is usually a secret. */
enum rc_err rc_base32_encode(const uint8_t *in, size_t len, char *out, size_t out_cap,
			     size_t *out_len);

/* Decode base32 text in[0..len) into out[0..out_cap); *out_len is the
 * number of bytes.  Accepts either case, spaces anywhere (as secrets are
 * shown in groups), and '=' padding at the end (which must then make the
 * length a multiple of 8).  RC_ERR_SYNTAX for any other character, a
 * length no encoding has (1, 3 or 6 symbols in the last group) or unused
 * trailing bits that are not zero; RC_ERR_LIMIT when out_cap is too small;
 * RC_ERR_RANGE for NULL with a non-zero length.  out is untouched on
 * error. */
enum rc_err rc_base32_decode(const char *in, size_t len, uint8_t *out, size_t out_cap,
			     size_t *out_len);

/* The provisioning URI for an authenticator app (the Key URI Format; shown
 * as a QR code), NUL-terminated in out[0..outlen):
 *   otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER
 *     &algorithm=SHA1&digits=6&period=30
 * ISSUER and ACCOUNT percent-encoded per RFC 3986 (every byte but
 * A-Z a-z 0-9 - . _ ~, so UTF-8 names come out as %E5%AE%B9 ...).
 * RC_ERR_SYNTAX when issuer or account is NULL, empty, not valid UTF-8, or
 * contains ':' or a control character; RC_ERR_RANGE for the secret's
 * length; RC_ERR_LIMIT when outlen is too small.  The URI holds the
 * secret: on error out is wiped to "", and the caller wipes it after use. */
enum rc_err rc_totp_uri(const char *issuer, const char *account, const uint8_t *secret, size_t len,
			char *out, size_t outlen);

#endif
