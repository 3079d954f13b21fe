/*
 * i18n.c -- English pages.
 *
 * The pages are written in Chinese, the language of their users.  When a
 * user switches to English (GET /lang, a cookie), the page is rendered as
 * usual and then every text node -- and every placeholder and title
 * attribute -- that is a line of data/i18n-en.tsv is replaced by its
 * English.  So the page code has one language only, a text added without
 * its English is found by a test (tests/web/test_i18n.c) rather than by a
 * reader, and nothing changes on the Chinese pages' path (the benchmark's).
 * Text inside <textarea>, <pre> and <code> is never touched: it is what a
 * user typed or what the engine wrote.  Names, codes and the policy's own
 * words are data, not keys, and stay as they are.
 */
#include <pthread.h>
#include <string.h>

#include "web/web_int.h"

extern const char rc_i18n_en_text[]; /* data/i18n-en.tsv, embedded */

#define ENTRIES_MAX 1024
#define SPEC_MAX    8

struct entry {
	const char *zh, *en; /* into rc_i18n_en_text, not NUL-terminated */
	size_t zh_len, en_len;
	int pattern; /* zh holds a conversion (%s ...) */
};

static struct entry entries[ENTRIES_MAX];
static int n_entries;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The length of a conversion at s ("%s", "%d", "%lld", "%ld", "%zu"), or 0. */
static size_t spec_len(const char *s, size_t n)
{
	static const char *const specs[] = {"%lld", "%ld", "%zu", "%s", "%d"};
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		size_t k = strlen(specs[i]);
		if (k <= n && memcmp(s, specs[i], k) == 0)
			return k;
	}
	return 0;
}

static void load(void)
{
	for (const char *p = rc_i18n_en_text; *p && n_entries < ENTRIES_MAX;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *tab = memchr(p, '\t', len);
		if (len && p[0] != '#' && tab && tab > p) {
			struct entry *e = &entries[n_entries++];
			e->zh = p;
			e->zh_len = (size_t)(tab - p);
			e->en = tab + 1;
			e->en_len = len - e->zh_len - 1;
			for (size_t i = 0; i < e->zh_len && !e->pattern; i++)
				e->pattern = e->zh[i] == '%' && spec_len(e->zh + i, e->zh_len - i);
		}
		p += len + (nl != NULL);
	}
}

int rc_web_i18n_count(void)
{
	pthread_once(&once, load);
	return n_entries;
}

int rc_web_i18n_has(const char *zh, size_t len)
{
	pthread_once(&once, load);
	for (int i = 0; i < n_entries; i++)
		if (entries[i].zh_len == len && memcmp(entries[i].zh, zh, len) == 0)
			return 1;
	return 0;
}

static const struct entry *exact(const char *t, size_t n)
{
	for (int i = 0; i < n_entries; i++)
		if (!entries[i].pattern && entries[i].zh_len == n &&
		    memcmp(entries[i].zh, t, n) == 0)
			return &entries[i];
	return NULL;
}

/* Append the English of pattern entry e with the captures. */
static enum rc_err put_pattern(struct rc_buf *out, const struct entry *e, const char *const *cap,
			       const size_t *cap_len, int n)
{
	enum rc_err err = RC_OK;
	int k = 0;
	size_t run = 0, i = 0;
	for (; i < e->en_len && !err;) {
		size_t sl = e->en[i] == '%' ? spec_len(e->en + i, e->en_len - i) : 0;
		if (!sl) {
			run++;
			i++;
			continue;
		}
		err = rc_html_escape(out, e->en + i - run, run);
		run = 0;
		if (!err && k < n) {
			/* a capture that is a text of its own (a page's title in
			 * "%s - ..."), in English too; else as written */
			const struct entry *c = exact(cap[k], cap_len[k]);
			err = c ? rc_html_escape(out, c->en, c->en_len)
				: rc_buf_append(out, cap[k], cap_len[k]); /* already escaped */
		}
		k++;
		i += sl;
	}
	return err ? err : rc_html_escape(out, e->en + i - run, run);
}

/* Whether text t[0..n) matches pattern entry e: its captures. */
static int match(const struct entry *e, const char *t, size_t n, const char **cap, size_t *cap_len,
		 int *n_cap)
{
	size_t zi = 0, ti = 0;
	int k = 0;
	while (zi < e->zh_len) {
		size_t sl = e->zh[zi] == '%' ? spec_len(e->zh + zi, e->zh_len - zi) : 0;
		if (!sl) {
			if (ti >= n || t[ti] != e->zh[zi])
				return 0;
			zi++;
			ti++;
			continue;
		}
		zi += sl;
		/* the literal that follows, up to the next conversion or the end */
		size_t lit = 0;
		while (zi + lit < e->zh_len && !(e->zh[zi + lit] == '%' &&
						 spec_len(e->zh + zi + lit, e->zh_len - zi - lit)))
			lit++;
		if (k == SPEC_MAX || (lit == 0 && zi < e->zh_len))
			return 0; /* two conversions in a row: ambiguous */
		size_t at = ti;
		if (lit == 0) {
			at = n;
		} else {
			while (at + lit <= n && memcmp(t + at, e->zh + zi, lit) != 0)
				at++;
			if (at + lit > n)
				return 0;
		}
		cap[k] = t + ti;
		cap_len[k++] = at - ti;
		ti = at;
	}
	*n_cap = k;
	return ti == n;
}

/* Append the English of text t[0..n) (HTML as written: escaped), or t. */
static enum rc_err text(struct rc_buf *out, const char *t, size_t n)
{
	size_t a = 0, b = n;
	int wide = 0;
	while (a < b && (t[a] == ' ' || t[a] == '\n' || t[a] == '\t' || t[a] == '\r'))
		a++;
	while (b > a &&
	       (t[b - 1] == ' ' || t[b - 1] == '\n' || t[b - 1] == '\t' || t[b - 1] == '\r'))
		b--;
	for (size_t i = a; i < b && !wide; i++)
		wide = (unsigned char)t[i] >= 0x80;
	if (!wide)
		return rc_buf_append(out, t, n);
	const char *core = t + a;
	size_t len = b - a;
	for (int i = 0; i < n_entries; i++) {
		const struct entry *e = &entries[i];
		const char *cap[SPEC_MAX];
		size_t cap_len[SPEC_MAX];
		int nc = 0;
		if (!e->pattern ? e->zh_len == len && memcmp(e->zh, core, len) == 0
				: match(e, core, len, cap, cap_len, &nc)) {
			enum rc_err err = rc_buf_append(out, t, a);
			if (!err)
				err = e->pattern ? put_pattern(out, e, cap, cap_len, nc)
						 : rc_html_escape(out, e->en, e->en_len);
			return err ? err : rc_buf_append(out, t + b, n - b);
		}
	}
	return rc_buf_append(out, t, n);
}

/* A tag, with its placeholder and title attributes in English. */
static enum rc_err tag(struct rc_buf *out, const char *t, size_t n)
{
	static const char *const attrs[] = {" placeholder=\"", " title=\""};
	enum rc_err e = RC_OK;
	size_t i = 0;
	while (i < n && !e) {
		size_t best = n, al = 0;
		for (size_t k = 0; k < 2; k++) {
			size_t l = strlen(attrs[k]);
			for (size_t j = i; j + l <= n; j++)
				if (memcmp(t + j, attrs[k], l) == 0) {
					if (j < best) {
						best = j;
						al = l;
					}
					break;
				}
		}
		if (best == n)
			return rc_buf_append(out, t + i, n - i);
		size_t v = best + al, end = v;
		while (end < n && t[end] != '"')
			end++;
		if ((e = rc_buf_append(out, t + i, v - i)))
			return e;
		e = text(out, t + v, end - v);
		i = end;
	}
	return e;
}

/* Whether tag t opens (or closes) an element whose text is left as is. */
static int verbatim(const char *t, size_t n, int *closing)
{
	static const char *const names[] = {"textarea", "pre", "code"};
	size_t i = 1;
	*closing = n > 1 && t[1] == '/';
	i += (size_t)*closing;
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(names[k]);
		if (i + l <= n && memcmp(t + i, names[k], l) == 0 &&
		    (i + l == n || t[i + l] == '>' || t[i + l] == ' '))
			return 1;
	}
	return 0;
}

enum rc_err rc_web_i18n_page(const char *html, size_t len, struct rc_buf *out)
{
	enum rc_err e = RC_OK;
	int keep = 0; /* inside textarea/pre/code */
	pthread_once(&once, load);
	for (size_t i = 0; i < len && !e;) {
		if (html[i] == '<') {
			const char *gt = memchr(html + i, '>', len - i);
			size_t n = gt ? (size_t)(gt - (html + i)) + 1 : len - i;
			int closing;
			if (verbatim(html + i, n, &closing))
				keep = !closing;
			e = keep ? rc_buf_append(out, html + i, n) : tag(out, html + i, n);
			i += n;
		} else {
			const char *lt = memchr(html + i, '<', len - i);
			size_t n = lt ? (size_t)(lt - (html + i)) : len - i;
			e = keep ? rc_buf_append(out, html + i, n) : text(out, html + i, n);
			i += n;
		}
	}
	return e;
}
