#include "core/utf8.h"

size_t rc_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len == 0)
		return 0;
	unsigned c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (u[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

int rc_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = rc_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			if (bad_at)
				*bad_at = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

int rc_utf8_is_cjk(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

size_t rc_utf8_width(const char *s, size_t len)
{
	size_t w = 0, i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = rc_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		/* Wide: CJK ideographs, CJK punctuation, full-width forms. */
		if (rc_utf8_is_cjk(cp) || (cp >= 0x3000 && cp <= 0x303F) ||
		    (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x2E80 && cp <= 0x2FDF))
			w += 2;
		else
			w += 1;
		i += n;
	}
	return w;
}
