/*
 * cookie.c -- reading one cookie out of a Cookie header, and one field out
 * of a form body.
 *
 * Both parse text a client controls completely, so both work on the bytes
 * in place with lengths (nothing is copied before it is known to be
 * wanted), bound the work by construction (a header or a body is already
 * capped by the server; the number of pairs scanned is capped here) and
 * answer "absent" rather than guess when the text is odd.  A cookie that
 * appears twice is absent: a browser sends duplicates only when cookies of
 * the same name were set for different paths or by a sibling domain, and
 * choosing one of them would let whoever set the other choose for us.
 */
#include <string.h>

#include "core/utf8.h"
#include "http/http.h"

/* RFC 6265 §4.1.1 cookie-octet: printable ASCII but for '"', ',', ';',
 * '\\' and space. */
static int cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	       (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

enum rc_err rc_http_cookie_find(const char *header, const char *name, char *out, size_t cap)
{
	size_t hlen, nlen, pairs = 0;
	const char *p, *end, *found = NULL;
	size_t found_len = 0;
	int seen = 0;
	if (out && cap)
		out[0] = '\0';
	if (!header || !name || !*name || !out || cap == 0)
		return RC_ERR_NOT_FOUND;
	hlen = strnlen(header, RC_HTTP_COOKIE_HEADER_MAX + 1);
	if (hlen > RC_HTTP_COOKIE_HEADER_MAX)
		return RC_ERR_LIMIT;
	nlen = strlen(name);
	p = header;
	end = header + hlen;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *pe = semi ? semi : end, *eq;
		if (++pairs > RC_HTTP_COOKIES_MAX)
			return RC_ERR_LIMIT;
		while (p < pe && (*p == ' ' || *p == '\t'))
			p++;
		eq = memchr(p, '=', (size_t)(pe - p));
		if (eq) {
			const char *ne = eq;
			while (ne > p && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			if ((size_t)(ne - p) == nlen && memcmp(p, name, nlen) == 0) {
				const char *v = eq + 1, *ve = pe;
				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
					ve--;
				if (++seen > 1)
					return RC_ERR_CONFLICT;
				found = v;
				found_len = (size_t)(ve - v);
			}
		}
		p = semi ? semi + 1 : end;
	}
	if (!seen)
		return RC_ERR_NOT_FOUND;
	/* a value may be quoted (RFC 6265 §4.1.1); the quotes are not part of it */
	if (found_len >= 2 && found[0] == '"' && found[found_len - 1] == '"') {
		found++;
		found_len -= 2;
	}
	for (size_t i = 0; i < found_len; i++)
		if (!cookie_octet((unsigned char)found[i]))
			return RC_ERR_SYNTAX;
	if (found_len >= cap)
		return RC_ERR_LIMIT;
	memcpy(out, found, found_len);
	out[found_len] = '\0';
	return RC_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode an x-www-form-urlencoded value into the arena: '+' is a space,
 * %XX a byte.  A bad escape, a decoded NUL or invalid UTF-8 is a syntax
 * error: no field of ours holds any. */
static enum rc_err form_decode(struct rc_arena *a, const char *s, size_t len, const char **out,
			       size_t *out_len)
{
	char *d = rc_arena_alloc(a, len + 1);
	size_t n = 0;
	if (!d)
		return RC_ERR_NOMEM;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			d[n++] = ' ';
		} else if (s[i] == '%') {
			if (len - i < 3)
				return RC_ERR_SYNTAX;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return RC_ERR_SYNTAX;
			d[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[n++] = s[i];
		}
	}
	d[n] = '\0';
	if (!rc_utf8_valid(d, n, NULL))
		return RC_ERR_SYNTAX;
	*out = d;
	if (out_len)
		*out_len = n;
	return RC_OK;
}

enum rc_err rc_http_form_get(struct rc_arena *a, const char *body, size_t len, const char *name,
			     const char **out, size_t *out_len)
{
	size_t nlen = strlen(name), fields = 0;
	const char *p = body, *end = body + len, *val = NULL;
	size_t val_len = 0;
	*out = NULL;
	if (out_len)
		*out_len = 0;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(fe - p));
		const char *ne = eq ? eq : fe;
		if (++fields > RC_HTTP_FORM_FIELDS_MAX)
			return RC_ERR_LIMIT;
		if ((size_t)(ne - p) == nlen && memcmp(p, name, nlen) == 0) {
			if (val)
				return RC_ERR_SYNTAX; /* the same field twice: which one? */
			val = eq ? eq + 1 : fe;
			val_len = (size_t)(fe - val);
		}
		p = amp ? amp + 1 : end;
	}
	if (!val)
		return RC_ERR_NOT_FOUND;
	return form_decode(a, val, val_len, out, out_len);
}
