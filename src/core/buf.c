#include "core/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rc_buf_init(struct rc_buf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap ? cap : SIZE_MAX / 2;
}

void rc_buf_free(struct rc_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

void rc_buf_reset(struct rc_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static enum rc_err grow(struct rc_buf *b, size_t n)
{
	if (n > b->cap || b->len > b->cap - n)
		return RC_ERR_LIMIT;
	size_t need = b->len + n + 1;
	if (need <= b->alloc)
		return RC_OK;
	size_t na = b->alloc ? b->alloc : 64;
	while (na < need)
		na = na > SIZE_MAX / 2 ? need : na * 2;
	char *p = realloc(b->data, na);
	if (!p)
		return RC_ERR_NOMEM;
	b->data = p;
	b->alloc = na;
	return RC_OK;
}

enum rc_err rc_buf_append(struct rc_buf *b, const void *p, size_t n)
{
	enum rc_err e = grow(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return RC_OK;
}

enum rc_err rc_buf_puts(struct rc_buf *b, const char *s)
{
	return rc_buf_append(b, s, strlen(s));
}

enum rc_err rc_buf_vprintf(struct rc_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return RC_ERR_INTERNAL;
	enum rc_err e = grow(b, (size_t)n);
	if (e)
		return e;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return RC_OK;
}

enum rc_err rc_buf_printf(struct rc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum rc_err e = rc_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

const char *rc_buf_str(const struct rc_buf *b)
{
	return b->data ? b->data : "";
}

enum rc_err rc_buf_read_file(struct rc_buf *b, const char *path)
{
	enum rc_err e = RC_OK;
	FILE *f = fopen(path, "rb");
	if (!f)
		return RC_ERR_IO;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		e = rc_buf_append(b, chunk, n);
		if (e)
			goto out;
	}
	if (ferror(f)) {
		e = RC_ERR_IO;
		goto out;
	}
	if (!b->data) /* empty file: still a valid empty string */
		e = rc_buf_append(b, "", 0);
out:
	if (f) {
		int saved = errno;
		fclose(f);
		errno = saved;
	}
	return e;
}
