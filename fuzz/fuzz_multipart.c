/*
 * fuzz_multipart.c -- libFuzzer harness for the multipart/form-data parser
 * (http/multipart.c).
 *
 * An input is a Content-Type header value, a line feed, then the body: so
 * the corpus files read as what a browser sends (fuzz/corpus/multipart/).
 * An input without a line feed is a body under a fixed content type.  Each
 * input is read for a few names, with a roomy arena and with one so small
 * that the copies fail, against the parser's contract: a part found has a
 * NUL after its bytes and is no longer than the body, its file name is
 * valid UTF-8 with no separator and no control character and within its
 * cap, the text reading agrees with the byte reading, and a content type
 * that is not multipart/form-data is refused.  Then the input's bytes are
 * sent as a file part of a body made well-formed around them: they must
 * come back exactly.  Any violation aborts, which the fuzzer reports as a
 * crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DEFAULT_CT[] = "multipart/form-data; boundary=XyZ";

static void check_part(const struct rc_http_part *p, size_t body_len)
{
	if (!p->data || p->data[p->len] != '\0' || p->len > body_len)
		abort();
	if (p->filename) {
		size_t n = strlen(p->filename);
		if (n > RC_HTTP_FILENAME_MAX || !rc_utf8_valid(p->filename, n, NULL))
			abort();
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p->filename[i];
			if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
				abort();
		}
	}
}

static void read_name(const char *ct, const char *body, size_t len, const char *name,
		      size_t arena_cap)
{
	struct rc_arena a;
	struct rc_http_part p;
	const char *t;
	size_t tlen;
	rc_arena_init(&a, arena_cap);
	enum rc_err e = rc_http_multipart_get(&a, ct, body, len, name, &p);
	if (e == RC_OK)
		check_part(&p, len);
	else if (p.data || p.filename || p.len)
		abort(); /* an error leaves the part empty */
	if (e != RC_OK && e != RC_ERR_NOT_FOUND && e != RC_ERR_SYNTAX && e != RC_ERR_LIMIT &&
	    e != RC_ERR_NOMEM)
		abort();
	if (!rc_http_multipart_is(ct) && e != RC_ERR_SYNTAX)
		abort();
	enum rc_err et = rc_http_multipart_text(&a, ct, body, len, name, &t, &tlen);
	if (et == RC_OK) {
		/* a text is a part's bytes, NUL-free and UTF-8 */
		if (e != RC_OK || tlen != p.len || memcmp(t, p.data, tlen) != 0 ||
		    strlen(t) != tlen || !rc_utf8_valid(t, tlen, NULL))
			abort();
	} else if (t || tlen) {
		abort();
	} else if (e == RC_OK) {
		/* found as bytes but refused as text: a NUL or invalid UTF-8,
		 * or the arena ran out on the second copy */
		if (et != RC_ERR_NOMEM && et != RC_ERR_SYNTAX)
			abort();
		if (et == RC_ERR_SYNTAX && !memchr(p.data, '\0', p.len) &&
		    rc_utf8_valid(p.data, p.len, NULL))
			abort();
	} else if (et != e && !(e == RC_ERR_NOMEM || et == RC_ERR_NOMEM)) {
		abort(); /* both read the same body: the same refusal */
	}
	rc_arena_free(&a);
}

/* The input's bytes as the data of a file part in a body made well-formed
 * around them: they come back exactly. */
static void round_trip(const uint8_t *data, size_t size)
{
	static const char ct[] = "multipart/form-data; boundary=\"rc fuzz'(+_,-./:=?)\"";
	static const char delim[] = "\r\n--rc fuzz'(+_,-./:=?)";
	struct rc_buf b;
	struct rc_arena a;
	struct rc_http_part p;
	/* the boundary must not be in the data (RFC 2046).  Nothing else
	 * needs excluding: the delimiter holds a CR only at its start, so no
	 * end of the data can make it appear across the seam. */
	for (size_t i = 0; i + sizeof(delim) - 1 <= size; i++)
		if (memcmp(data + i, delim, sizeof(delim) - 1) == 0)
			return;
	rc_buf_init(&b, (size_t)1 << 22);
	if (rc_buf_printf(&b,
			  "preamble%s\r\n"
			  "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
			  "0123%s \t\r\n"
			  "Content-Type: application/octet-stream\r\n"
			  "content-disposition: form-data; filename=\"a/b\\c.rcp\"; name=file\r\n"
			  "\r\n",
			  delim, delim) ||
	    rc_buf_append(&b, (const char *)data, size) ||
	    rc_buf_printf(&b, "%s--\r\nepilogue", delim)) {
		rc_buf_free(&b);
		return;
	}
	rc_arena_init(&a, 0);
	if (rc_http_multipart_get(&a, ct, b.data, b.len, "file", &p) != RC_OK || p.len != size ||
	    memcmp(p.data, data, size) != 0 || !p.filename || strcmp(p.filename, "c.rcp") != 0)
		abort();
	if (rc_http_multipart_get(&a, ct, b.data, b.len, "csrf", &p) != RC_OK ||
	    strcmp(p.data, "0123") != 0 || p.filename)
		abort();
	rc_arena_free(&a);
	rc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"csrf", "text", "file", "a", "f0", ""};
	const uint8_t *nl = memchr(data, '\n', size);
	char ct[512];
	const char *body;
	size_t len;
	if (size > RC_HTTP_BODY_MAX)
		return 0;
	if (nl && (size_t)(nl - data) < sizeof(ct)) {
		size_t n = (size_t)(nl - data);
		memcpy(ct, data, n);
		ct[n] = '\0';
		/* a NUL in the header would cut it: headers never hold one */
		body = (const char *)nl + 1;
		len = size - n - 1;
	} else {
		snprintf(ct, sizeof(ct), "%s", DEFAULT_CT);
		body = (const char *)data;
		len = size;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		read_name(ct, body, len, names[i], 0);
		read_name(ct, body, len, names[i], 64);
	}
	round_trip(data, size);
	return 0;
}
