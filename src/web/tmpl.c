/*
 * tmpl.c -- a template renderer that escapes by default.
 *
 * A page is a template (a C string constant in pages.c) and a handful of
 * named values.  The one way to put a value into a page without escaping
 * it takes two deliberate steps -- {{&name}} in the template and
 * RC_TMPL_TRUSTED where the value is given -- so that a value from a user
 * or the database can never reach a page raw by a slip in one place.
 * Names are looked up by a linear scan: a page has a dozen.
 */
#include <string.h>

#include "core/utf8.h"
#include "web/web.h"

enum rc_err rc_html_escape(struct rc_buf *out, const char *s, size_t len)
{
	enum rc_err e = RC_OK;
	size_t run = 0; /* bytes from s[i - run] to copy as they are */
	for (size_t i = 0; i < len && !e;) {
		const char *ent = NULL;
		uint32_t cp;
		size_t n = 1;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default:
			if ((unsigned char)s[i] >= 0x80) {
				n = rc_utf8_decode(s + i, len - i, &cp);
				if (n == 0) {
					ent = "\xef\xbf\xbd"; /* U+FFFD */
					n = 1;
				}
			}
		}
		if (ent) {
			if (run)
				e = rc_buf_append(out, s + i - run, run);
			if (!e)
				e = rc_buf_puts(out, ent);
			run = 0;
		} else {
			run += n;
		}
		i += n;
	}
	if (!e && run)
		e = rc_buf_append(out, s + len - run, run);
	return e;
}

static const struct rc_tmpl_var *lookup(const struct rc_tmpl_var *vars, size_t n, const char *name,
					size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
			return &vars[i];
	return NULL;
}

/* The end of section `name` in t[0..len): the offset of its "{{/name}}"
 * (sections of the same name are not nested), or -1. */
static long section_end(const char *t, size_t len, const char *name, size_t nlen)
{
	for (size_t i = 0; i + nlen + 5 <= len; i++)
		if (t[i] == '{' && t[i + 1] == '{' && t[i + 2] == '/' &&
		    memcmp(t + i + 3, name, nlen) == 0 && t[i + 3 + nlen] == '}' &&
		    t[i + 4 + nlen] == '}')
			return (long)i;
	return -1;
}

static enum rc_err render(struct rc_buf *out, const char *t, size_t len,
			  const struct rc_tmpl_var *vars, size_t n_vars, int depth)
{
	enum rc_err e = RC_OK;
	size_t i = 0;
	if (depth > RC_TMPL_DEPTH_MAX)
		return RC_ERR_LIMIT;
	while (i < len && !e) {
		const char *open = NULL;
		for (size_t j = i; j + 1 < len; j++)
			if (t[j] == '{' && t[j + 1] == '{') {
				open = t + j;
				break;
			}
		if (!open)
			return rc_buf_append(out, t + i, len - i);
		if (open > t + i && (e = rc_buf_append(out, t + i, (size_t)(open - (t + i)))))
			return e;
		size_t at = (size_t)(open - t) + 2, close = at;
		while (close + 1 < len && !(t[close] == '}' && t[close + 1] == '}'))
			close++;
		if (close + 1 >= len)
			return RC_ERR_SYNTAX; /* "{{" never closed */
		char sigil = t[at];
		const char *name = t + at;
		size_t nlen = close - at;
		if (sigil == '&' || sigil == '#' || sigil == '^' || sigil == '/') {
			name++;
			nlen--;
		}
		if (nlen == 0)
			return RC_ERR_SYNTAX;
		const struct rc_tmpl_var *v = lookup(vars, n_vars, name, nlen);
		if (!v)
			return RC_ERR_NAME;
		const char *val = v->value ? v->value : "";
		i = close + 2;
		switch (sigil) {
		case '&':
			if (!v->trusted)
				return RC_ERR_USAGE; /* raw insertion of a value not marked trusted */
			e = rc_buf_puts(out, val);
			break;
		case '#':
		case '^': {
			long end = section_end(t + i, len - i, name, nlen);
			if (end < 0)
				return RC_ERR_SYNTAX;
			if ((*val != '\0') == (sigil == '#'))
				e = render(out, t + i, (size_t)end, vars, n_vars, depth + 1);
			i += (size_t)end + nlen + 5;
			break;
		}
		case '/': return RC_ERR_SYNTAX; /* a close without its open */
		default: e = rc_html_escape(out, val, strlen(val));
		}
	}
	return e;
}

enum rc_err rc_tmpl_render(struct rc_buf *out, const char *tmpl, const struct rc_tmpl_var *vars,
			   size_t n_vars)
{
	return render(out, tmpl, strlen(tmpl), vars, n_vars, 0);
}
