/*
 * seal.c -- SM4 sealed boxes: authenticated encryption for data at rest.
 *
 * OpenSSL 3.0 offers SM4 in ECB, CBC, CTR, CFB and OFB only; SM4-GCM and
 * SM4-CCM came in later releases.  So the box is the generic encrypt-then-MAC
 * composition (Bellare and Namprempre's EtM, which is IND-CCA2 and
 * INT-CTXT when the cipher is IND-CPA and the MAC is strongly unforgeable):
 * SM4-CTR for confidentiality, HMAC-SM3 over everything for integrity, the
 * two keys derived separately from the caller's key.  The layout of the MAC
 * input follows the AES-CBC-HMAC draft (draft-mcgrew-aead-aes-cbc-hmac-sha2):
 * the associated data first and its length last, so the input parses one
 * way only.
 *
 * The construction is built on the backend's primitives (HMAC-SM3, SM4-CTR,
 * random bytes), so it is the same bytes whichever backend is installed: a
 * box sealed in software opens on a cipher card and back.
 */
#include "crypto/crypto.h"

#include <string.h>

/* "SM4" and the construction's version.  A future construction (SM4-GCM,
 * say) gets another version byte; rc_sm4_open() refuses what it does not
 * know. */
static const uint8_t header_v1[RC_SM4_SEAL_HEADER_LEN] = {'S', 'M', '4', 0x01};

#define MAC_KEY_LEN RC_SM3_LEN

/* HKDF-Expand (RFC 5869 section 2.3) with HMAC-SM3, one output block:
 * T(1) = HMAC-SM3(key, info || 0x01).  The caller's key stands in for the
 * PRK, which RFC 5869 section 3.3 allows for a key that is already uniformly
 * random, as a key for data at rest is. */
static enum rc_err expand(const uint8_t *key, const char *info, uint8_t out[RC_SM3_LEN])
{
	static const uint8_t one = 0x01;
	struct rc_hmac_sm3_ctx *c = NULL;
	enum rc_err e = rc_hmac_sm3_init(&c, key, RC_SM4_KEY_LEN);
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, info, strlen(info));
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, &one, 1);
	if (e)
		goto out;
	e = rc_hmac_sm3_final(c, out);
out:
	rc_hmac_sm3_free(c);
	return e;
}

/* The encryption key (the first 16 bytes of its block) and the 32-byte MAC
 * key, from different labels so that neither says anything about the
 * other. */
static enum rc_err derive_keys(const uint8_t *key, uint8_t enc[RC_SM3_LEN],
			       uint8_t mac[MAC_KEY_LEN])
{
	enum rc_err e = expand(key, "rongcuo sm4 seal v1 encryption", enc);
	if (e)
		return e;
	return expand(key, "rongcuo sm4 seal v1 authentication", mac);
}

static void be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

/* tag = HMAC-SM3(mac_key, header || aad || iv || ct || be64(aad_len)), where
 * box = header || iv || ct. */
static enum rc_err compute_tag(const uint8_t mac_key[MAC_KEY_LEN], const void *aad, size_t aad_len,
			       const uint8_t *box, size_t ct_len, uint8_t tag[RC_SM4_SEAL_TAG_LEN])
{
	struct rc_hmac_sm3_ctx *c = NULL;
	uint8_t al[8];
	enum rc_err e = rc_hmac_sm3_init(&c, mac_key, MAC_KEY_LEN);
	be64(al, (uint64_t)aad_len);
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, box, RC_SM4_SEAL_HEADER_LEN);
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, aad, aad_len);
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, box + RC_SM4_SEAL_HEADER_LEN, RC_SM4_SEAL_IV_LEN + ct_len);
	if (e)
		goto out;
	e = rc_hmac_sm3_update(c, al, sizeof(al));
	if (e)
		goto out;
	e = rc_hmac_sm3_final(c, tag);
out:
	rc_hmac_sm3_free(c);
	return e;
}

size_t rc_sm4_sealed_len(size_t plain_len)
{
	if (plain_len > SIZE_MAX - RC_SM4_SEAL_OVERHEAD)
		return 0;
	return plain_len + RC_SM4_SEAL_OVERHEAD;
}

enum rc_err rc_sm4_seal(const uint8_t *key, size_t key_len, const void *aad, size_t aad_len,
			const void *plain, size_t plain_len, uint8_t *out, size_t out_cap,
			size_t *out_len)
{
	uint8_t enc[RC_SM3_LEN], mac[MAC_KEY_LEN];
	size_t total = rc_sm4_sealed_len(plain_len);
	uint8_t *iv = NULL, *ct = NULL;
	int writing = 0;
	enum rc_err e = RC_OK;
	*out_len = 0;
	memset(enc, 0, sizeof(enc));
	memset(mac, 0, sizeof(mac));
	if (!key || key_len != RC_SM4_KEY_LEN || (!aad && aad_len) || (!plain && plain_len) ||
	    !out || total == 0 || out_cap < total) {
		e = RC_ERR_RANGE;
		goto out;
	}
	writing = 1;
	iv = out + RC_SM4_SEAL_HEADER_LEN;
	ct = iv + RC_SM4_SEAL_IV_LEN;
	e = derive_keys(key, enc, mac);
	if (e)
		goto out;
	memcpy(out, header_v1, RC_SM4_SEAL_HEADER_LEN);
	/* A fresh random IV per box.  Two boxes under one key share keystream
	 * only if their counter ranges overlap: after 2^32 boxes of 1 MiB each
	 * the chance is below 2^-48. */
	e = rc_random_bytes(iv, RC_SM4_SEAL_IV_LEN);
	if (e)
		goto out;
	if (plain_len) {
		e = rc_crypto_backend()->sm4_ctr(enc, iv, plain, ct, plain_len);
		if (e)
			goto out;
	}
	e = compute_tag(mac, aad, aad_len, out, plain_len, ct + plain_len);
	if (e)
		goto out;
	*out_len = total;
out:
	if (e && writing)
		rc_crypto_wipe(out, total);
	rc_crypto_wipe(enc, sizeof(enc));
	rc_crypto_wipe(mac, sizeof(mac));
	return e;
}

enum rc_err rc_sm4_open(const uint8_t *key, size_t key_len, const void *aad, size_t aad_len,
			const uint8_t *sealed, size_t sealed_len, uint8_t *out, size_t out_cap,
			size_t *out_len)
{
	uint8_t enc[RC_SM3_LEN], mac[MAC_KEY_LEN], tag[RC_SM4_SEAL_TAG_LEN];
	size_t ct_len;
	enum rc_err e = RC_OK;
	*out_len = 0;
	memset(enc, 0, sizeof(enc));
	memset(mac, 0, sizeof(mac));
	if (!key || key_len != RC_SM4_KEY_LEN || (!aad && aad_len) || (!sealed && sealed_len)) {
		e = RC_ERR_RANGE;
		goto out;
	}
	if (sealed_len < RC_SM4_SEAL_OVERHEAD ||
	    memcmp(sealed, header_v1, RC_SM4_SEAL_HEADER_LEN) != 0) {
		e = RC_ERR_SYNTAX;
		goto out;
	}
	ct_len = sealed_len - RC_SM4_SEAL_OVERHEAD;
	if ((!out && ct_len) || out_cap < ct_len) {
		e = RC_ERR_RANGE;
		goto out;
	}
	e = derive_keys(key, enc, mac);
	if (e)
		goto out;
	e = compute_tag(mac, aad, aad_len, sealed, ct_len, tag);
	if (e)
		goto out;
	/* Authenticate first: not one byte of plaintext is produced from a
	 * box that has been tampered with. */
	if (!rc_crypto_equal(tag, sealed + sealed_len - RC_SM4_SEAL_TAG_LEN, RC_SM4_SEAL_TAG_LEN)) {
		e = RC_ERR_SYNTAX;
		goto out;
	}
	if (ct_len) {
		e = rc_crypto_backend()->sm4_ctr(
		    enc, sealed + RC_SM4_SEAL_HEADER_LEN,
		    sealed + RC_SM4_SEAL_HEADER_LEN + RC_SM4_SEAL_IV_LEN, out, ct_len);
		if (e) {
			rc_crypto_wipe(out, ct_len);
			goto out;
		}
	}
	*out_len = ct_len;
out:
	rc_crypto_wipe(enc, sizeof(enc));
	rc_crypto_wipe(mac, sizeof(mac));
	return e;
}
