/*
 * qr.c -- a QR code as inline SVG, for the TOTP enrolment page.
 *
 * Typing a 32-character secret into a phone is where enrolments fail; the
 * authenticator apps scan the otpauth:// URI as a QR code instead.  The
 * code is encoded by libqrencode (Debian's libqrencode-dev) and drawn here
 * as one SVG path of dark modules: no image file, no script, nothing the
 * page's Content-Security-Policy (default-src 'self') would refuse, and it
 * prints.  The SVG holds numbers only, so it is trusted page text.
 */
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "web/web_int.h"

#define QUIET 4 /* modules of light margin on each side (ISO/IEC 18004) */

enum rc_err rc_web_qr_svg(struct rc_buf *b, const char *text)
{
	enum rc_err e = RC_OK;
	if (!text || !*text || strlen(text) > RC_WEB_QR_MAX)
		return RC_ERR_LIMIT;
	errno = 0;
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return errno == ENOMEM ? RC_ERR_NOMEM : RC_ERR_LIMIT;
	int n = q->width, side = n + 2 * QUIET;
	if ((e = rc_buf_printf(b,
			       "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
			       "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" role=\"img\" "
			       "aria-label=\"二维码\"><rect width=\"%d\" height=\"%d\" "
			       "fill=\"#fff\"/><path fill=\"#000\" d=\"",
			       side, side, side, side)))
		goto out;
	/* one subpath per run of dark modules in a row: M x y h len v 1 h -len z */
	for (int y = 0; y < n && !e; y++)
		for (int x = 0; x < n && !e;) {
			if (!(q->data[y * n + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < n && (q->data[y * n + x + run] & 1))
				run++;
			e = rc_buf_printf(b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	if (!e)
		e = rc_buf_puts(b, "\"/></svg>");
out:
	QRcode_free(q);
	return e;
}
