/*
 * buf.h -- growable byte buffer with a hard cap (after curl's dynbuf).
 *
 * The buffer is always NUL-terminated.  Appends fail with RC_ERR_LIMIT once
 * the content would exceed `cap`, and with RC_ERR_NOMEM on allocation
 * failure; in both cases the content so far is unchanged.
 */
#ifndef RC_CORE_BUF_H
#define RC_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

struct rc_buf {
	char *data; /* NUL-terminated, or NULL while empty */
	size_t len;
	size_t alloc;
	size_t cap; /* maximum len */
};

void rc_buf_init(struct rc_buf *b, size_t cap);
void rc_buf_free(struct rc_buf *b);  /* NULL-safe */
void rc_buf_reset(struct rc_buf *b); /* len = 0, keeps memory */

enum rc_err rc_buf_append(struct rc_buf *b, const void *p, size_t n);
enum rc_err rc_buf_puts(struct rc_buf *b, const char *s);
enum rc_err rc_buf_printf(struct rc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum rc_err rc_buf_vprintf(struct rc_buf *b, const char *fmt, va_list ap);

/* The content as a C string; "" when empty.  Borrowed. */
const char *rc_buf_str(const struct rc_buf *b);

/* Read a whole file into `b`.  RC_ERR_IO with errno set when it cannot be
 * opened or read; RC_ERR_LIMIT when it exceeds the cap. */
enum rc_err rc_buf_read_file(struct rc_buf *b, const char *path);

#endif
