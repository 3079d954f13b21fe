/*
 * utf8.h -- strict UTF-8 decoding.
 *
 * Policy files, facts and every text from users are UTF-8.  Overlong forms,
 * surrogates and code points above U+10FFFF are rejected, so that two
 * spellings of one name can never exist.
 */
#ifndef RC_CORE_UTF8_H
#define RC_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s[0..len).  Returns the number of bytes used
 * (1-4) and stores the code point in *cp, or returns 0 when the sequence is
 * invalid or truncated. */
size_t rc_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* 1 if s[0..len) is entirely valid UTF-8, else 0; *bad_at receives the byte
 * offset of the first invalid sequence when not NULL. */
int rc_utf8_valid(const char *s, size_t len, size_t *bad_at);

/* Display width in columns: CJK wide characters count 2. */
size_t rc_utf8_width(const char *s, size_t len);

/* 1 if `cp` is a CJK unified ideograph (any block), else 0. */
int rc_utf8_is_cjk(uint32_t cp);

#endif
