/*
 * multipart.c -- one part out of a multipart/form-data body (RFC 7578,
 * the framing of RFC 2046 §5.1.1): what a form with
 * enctype="multipart/form-data" sends, and the only way a browser uploads
 * a file.
 *
 * Like cookie.c, it reads text the client controls completely: in place,
 * with lengths, nothing copied but the part asked for.  Every call reads
 * the whole body, not only up to the part it wants, so that a body is
 * either well-formed from its first delimiter to its close delimiter or
 * refused as a whole: a truncated body, a part whose name appears twice or
 * a malformed part after the one wanted is never half-read.  The work is
 * bounded by the body (capped by the server) and by the caps in http.h:
 * parts, header lines per part, the length of a header line.
 *
 * The grammar is RFC 2046's, strictly: CRLF line ends (a bare CR or LF in
 * a part's head is refused), a delimiter only at the start of the body or
 * after CRLF, transport padding (spaces, tabs) after it, then CRLF or the
 * close delimiter's "--".  A delimiter followed by anything else is
 * refused rather than read as data: RFC 2046 forbids the boundary inside a
 * part, so such a body was not made by a browser.  Quoted parameter values
 * in a part's Content-Disposition follow the HTML standard's encoding
 * (browsers escape '"', CR and LF as %22, %0D, %0A and leave a backslash
 * alone), so a backslash is a plain byte there, not RFC 2616's quoted-pair.
 */
#include <string.h>

#include "core/utf8.h"
#include "http/http.h"

/* A length-carrying slice of the body or a header. */
struct span {
	const char *p;
	size_t n;
};

/* What the parse found of the part asked for. */
struct found {
	int seen;
	struct span data;
	int is_file;
	struct span filename;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* s[0..n) equals the lower-case ASCII `lit`, ignoring case. */
static int ieq(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	if (n != l)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != lit[i])
			return 0;
	return 1;
}

/* RFC 7230 §3.2.6 tchar. */
static int tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 2046 §5.1.1 bchars: the boundary's bytes (a space too, but not last). */
static int bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

static void skip_ws(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/*
 * One parameter "; name=value" of a header value at *p (before the ';'),
 * for Content-Type and Content-Disposition alike: *p moves past it.  The
 * value is a token or a quoted string.  `strict` (Content-Type): a quoted
 * string holds RFC 7230's qdtext only, so a control byte is refused, and
 * so is a backslash (a quoted-pair: a boundary has no byte that needs
 * one).  Otherwise (a part's Content-Disposition) a quoted string is as
 * the HTML standard encodes names: every byte but '"' is itself, since a
 * file's name may hold anything its file system allows, and is made safe
 * when shown (display_name).  CR, LF and NUL never reach here: the head's
 * lines were checked.  RC_ERR_NOT_FOUND at the end of the value,
 * RC_ERR_SYNTAX when malformed.
 */
static enum rc_err next_param(const char **p, const char *end, int strict, struct span *name,
			      struct span *value)
{
	const char *s = *p;
	skip_ws(&s, end);
	if (s == end)
		return RC_ERR_NOT_FOUND;
	if (*s++ != ';')
		return RC_ERR_SYNTAX;
	skip_ws(&s, end);
	name->p = s;
	while (s < end && tchar((unsigned char)*s))
		s++;
	name->n = (size_t)(s - name->p);
	if (!name->n || s == end || *s++ != '=')
		return RC_ERR_SYNTAX;
	if (s < end && *s == '"') {
		value->p = ++s;
		while (s < end && *s != '"') {
			unsigned char c = (unsigned char)*s;
			if (strict && ((c < 0x20 && c != '\t') || c == 0x7f || c == '\\'))
				return RC_ERR_SYNTAX;
			s++;
		}
		if (s == end)
			return RC_ERR_SYNTAX; /* no closing quote */
		value->n = (size_t)(s - value->p);
		s++;
	} else {
		value->p = s;
		while (s < end && tchar((unsigned char)*s))
			s++;
		value->n = (size_t)(s - value->p);
		if (!value->n)
			return RC_ERR_SYNTAX;
	}
	*p = s;
	return RC_OK;
}

/* The media type at the start of a header value: *p moves past it.
 * RC_OK when it is type/subtype, both tokens, and `want` ("" for a
 * Content-Disposition's single token) matches ignoring case. */
static int media_type(const char **p, const char *end, const char *want)
{
	const char *s = *p, *t;
	skip_ws(&s, end);
	t = s;
	while (s < end && (tchar((unsigned char)*s) || *s == '/'))
		s++;
	if (!ieq(t, (size_t)(s - t), want))
		return 0;
	*p = s;
	return 1;
}

int rc_http_multipart_is(const char *content_type)
{
	const char *p = content_type, *end;
	if (!content_type)
		return 0;
	end = content_type + strnlen(content_type, RC_HTTP_HEAD_MAX);
	if (!media_type(&p, end, "multipart/form-data"))
		return 0;
	skip_ws(&p, end);
	return p == end || *p == ';';
}

/* The boundary of a multipart/form-data Content-Type, as a span of it. */
static enum rc_err boundary_of(const char *content_type, struct span *b)
{
	const char *p = content_type, *end;
	struct span name, value;
	enum rc_err e;
	int seen = 0;
	if (!rc_http_multipart_is(content_type))
		return RC_ERR_SYNTAX;
	end = content_type + strnlen(content_type, RC_HTTP_HEAD_MAX);
	(void)media_type(&p, end, "multipart/form-data");
	while (!(e = next_param(&p, end, 1, &name, &value))) {
		if (!ieq(name.p, name.n, "boundary"))
			continue; /* charset and the like say nothing we read */
		if (seen++)
			return RC_ERR_SYNTAX; /* which one? */
		*b = value;
	}
	if (e != RC_ERR_NOT_FOUND)
		return e;
	if (!seen || b->n < 1 || b->n > RC_HTTP_BOUNDARY_MAX || b->p[b->n - 1] == ' ')
		return RC_ERR_SYNTAX;
	for (size_t i = 0; i < b->n; i++)
		if (!bchar((unsigned char)b->p[i]))
			return RC_ERR_SYNTAX;
	return RC_OK;
}

/* A part's Content-Disposition value: "form-data", its name and, for a
 * file part, its filename. */
static enum rc_err disposition(const char *p, const char *end, struct span *name, int *is_file,
			       struct span *filename)
{
	struct span k, v;
	enum rc_err e;
	int has_name = 0;
	*is_file = 0;
	if (!media_type(&p, end, "form-data"))
		return RC_ERR_SYNTAX;
	while (!(e = next_param(&p, end, 0, &k, &v))) {
		if (ieq(k.p, k.n, "name")) {
			if (has_name++)
				return RC_ERR_SYNTAX;
			*name = v;
		} else if (ieq(k.p, k.n, "filename")) {
			if ((*is_file)++)
				return RC_ERR_SYNTAX;
			*filename = v;
		}
		/* filename* (RFC 7578 §4.2: not to be used) and others: ignored */
	}
	if (e != RC_ERR_NOT_FOUND)
		return e;
	return has_name ? RC_OK : RC_ERR_SYNTAX;
}

/*
 * A part's head at *p, up to and including the empty line: its name and
 * filename.  *p moves to the part's first byte of data.
 */
static enum rc_err part_head(const char **p, const char *end, struct span *name, int *is_file,
			     struct span *filename)
{
	const char *s = *p;
	int lines = 0, has_disp = 0;
	for (;;) {
		size_t room = (size_t)(end - s), look;
		const char *eol, *colon, *v;
		/* a line of the cap, its CRLF, and one byte more to tell a
		 * line too long from a body cut short */
		look = room < RC_HTTP_PART_LINE_MAX + 3 ? room : RC_HTTP_PART_LINE_MAX + 3;
		eol = NULL;
		for (size_t i = 0; i + 1 < look; i++)
			if (s[i] == '\r' && s[i + 1] == '\n') {
				eol = s + i;
				break;
			}
		if (!eol)
			return room > RC_HTTP_PART_LINE_MAX + 1 ? RC_ERR_LIMIT : RC_ERR_SYNTAX;
		if ((size_t)(eol - s) > RC_HTTP_PART_LINE_MAX)
			return RC_ERR_LIMIT;
		if (eol == s) {
			*p = eol + 2;
			break; /* the empty line: the head's end */
		}
		if (++lines > RC_HTTP_PART_HEADERS_MAX)
			return RC_ERR_LIMIT;
		/* a bare CR or LF, a NUL, or a folded line (RFC 7230 obs-fold) */
		for (const char *c = s; c < eol; c++)
			if (*c == '\r' || *c == '\n' || *c == '\0')
				return RC_ERR_SYNTAX;
		colon = s;
		while (colon < eol && tchar((unsigned char)*colon))
			colon++;
		if (colon == s || colon == eol || *colon != ':')
			return RC_ERR_SYNTAX;
		v = colon + 1;
		if (ieq(s, (size_t)(colon - s), "content-disposition")) {
			enum rc_err e;
			if (has_disp++)
				return RC_ERR_SYNTAX;
			if ((e = disposition(v, eol, name, is_file, filename)))
				return e;
		} else if (ieq(s, (size_t)(colon - s), "content-transfer-encoding")) {
			/* RFC 7578 §4.7: deprecated; an encoding we would have
			 * to undo is refused, never taken as the data */
			const char *t = v;
			if (!(media_type(&t, eol, "binary") || media_type(&t, eol, "8bit") ||
			      media_type(&t, eol, "7bit")))
				return RC_ERR_SYNTAX;
			skip_ws(&t, eol);
			if (t != eol)
				return RC_ERR_SYNTAX;
		}
		/* Content-Type and others: what the part says it is does not
		 * change how we read it */
		s = eol + 2;
	}
	return has_disp ? RC_OK : RC_ERR_SYNTAX;
}

/*
 * The first CRLF "--" boundary (d[0..dn)) in s[0..end), or NULL.  Linear in
 * the body: the delimiter holds a CR only at its start (bchars have none),
 * so a comparison that matched k bytes leaves no CR among them, and the
 * next candidate is at least k bytes further on.  (memmem is a GNU
 * extension; the build is POSIX.)
 */
static const char *find_delim(const char *s, const char *end, const char *d, size_t dn)
{
	while ((size_t)(end - s) >= dn) {
		const char *cr = memchr(s, '\r', (size_t)(end - s) - dn + 1);
		if (!cr)
			return NULL;
		if (memcmp(cr, d, dn) == 0)
			return cr;
		s = cr + 1;
	}
	return NULL;
}

/*
 * Parse the whole body; the part named `want` into *f.  The delimiter is
 * "--" boundary, each one but the first preceded by CRLF (which belongs to
 * it, not to the data before).
 */
static enum rc_err parse(const char *content_type, const char *body, size_t len, const char *want,
			 struct found *f)
{
	char delim[RC_HTTP_BOUNDARY_MAX + 4]; /* CRLF "--" boundary */
	size_t dlen, wlen = strlen(want);
	struct span b = {0};
	const char *p, *end = body + len;
	int parts = 0;
	enum rc_err e;
	memset(f, 0, sizeof(*f));
	if ((e = boundary_of(content_type, &b)))
		return e;
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, b.p, b.n);
	dlen = b.n + 4;
	/* the first delimiter: at the very start, or after a preamble */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		p = body + dlen - 2;
	} else {
		const char *d = find_delim(body, body + len, delim, dlen);
		if (!d)
			return RC_ERR_SYNTAX;
		p = d + dlen;
	}
	for (;;) {
		struct span name = {0}, filename = {0};
		int is_file = 0;
		const char *data, *next;
		/* the close delimiter "--", then padding and the epilogue,
		 * which is ignored but must begin on a line of its own */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			p += 2;
			skip_ws(&p, end);
			if (p != end && !(end - p >= 2 && p[0] == '\r' && p[1] == '\n'))
				return RC_ERR_SYNTAX;
			break;
		}
		skip_ws(&p, end);
		if (!(end - p >= 2 && p[0] == '\r' && p[1] == '\n'))
			return RC_ERR_SYNTAX; /* cut short, or the boundary inside data */
		p += 2;
		if (++parts > RC_HTTP_FORM_FIELDS_MAX)
			return RC_ERR_LIMIT;
		if ((e = part_head(&p, end, &name, &is_file, &filename)))
			return e;
		data = p;
		next = find_delim(data, end, delim, dlen);
		if (!next)
			return RC_ERR_SYNTAX; /* no delimiter after the data: cut short */
		if (name.n == wlen && wlen && memcmp(name.p, want, wlen) == 0) {
			if (f->seen++)
				return RC_ERR_SYNTAX; /* the same field twice: which one? */
			f->data = (struct span){data, (size_t)(next - data)};
			f->is_file = is_file;
			f->filename = filename;
		}
		p = next + dlen;
	}
	return f->seen ? RC_OK : RC_ERR_NOT_FOUND;
}

/*
 * A file's name for display, never a path: the last segment after '/' or
 * '\\' (some browsers sent the whole path), each byte that is not part of
 * a printable UTF-8 character (C0 and C1 controls, DEL, the bidirectional
 * controls that could make "exe.rcp" read as something else, invalid
 * sequences) as '_', cut at RC_HTTP_FILENAME_MAX bytes on a character's
 * boundary.
 */
static char *display_name(struct rc_arena *a, struct span fn)
{
	char *out = rc_arena_alloc(a, RC_HTTP_FILENAME_MAX + 1);
	size_t n = 0;
	const char *s = fn.p, *end = fn.p + fn.n;
	if (!out)
		return NULL;
	for (const char *c = fn.p; c < end; c++)
		if (*c == '/' || *c == '\\')
			s = c + 1;
	while (s < end) {
		uint32_t cp;
		size_t k = rc_utf8_decode(s, (size_t)(end - s), &cp);
		int ok = k && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
			 !(cp >= 0x200e && cp <= 0x200f) && !(cp >= 0x202a && cp <= 0x202e) &&
			 !(cp >= 0x2066 && cp <= 0x2069);
		size_t put = ok ? k : 1;
		if (n + put > RC_HTTP_FILENAME_MAX)
			break;
		if (ok)
			memcpy(out + n, s, k);
		else
			out[n] = '_';
		n += put;
		s += k ? k : 1;
	}
	out[n] = '\0';
	return out;
}

enum rc_err rc_http_multipart_get(struct rc_arena *a, const char *content_type, const char *body,
				  size_t len, const char *name, struct rc_http_part *out)
{
	struct found f;
	enum rc_err e;
	char *d;
	memset(out, 0, sizeof(*out));
	if ((e = parse(content_type, body, len, name, &f)))
		return e;
	if (!(d = rc_arena_alloc(a, f.data.n + 1)))
		return RC_ERR_NOMEM;
	memcpy(d, f.data.p, f.data.n);
	d[f.data.n] = '\0';
	if (f.is_file && !(out->filename = display_name(a, f.filename)))
		return RC_ERR_NOMEM;
	out->data = d;
	out->len = f.data.n;
	return RC_OK;
}

enum rc_err rc_http_multipart_text(struct rc_arena *a, const char *content_type, const char *body,
				   size_t len, const char *name, const char **out, size_t *out_len)
{
	struct rc_http_part part;
	enum rc_err e;
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if ((e = rc_http_multipart_get(a, content_type, body, len, name, &part)))
		return e;
	/* as a form field's: no NUL, valid UTF-8 */
	if (memchr(part.data, '\0', part.len) || !rc_utf8_valid(part.data, part.len, NULL))
		return RC_ERR_SYNTAX;
	*out = part.data;
	if (out_len)
		*out_len = part.len;
	return RC_OK;
}
