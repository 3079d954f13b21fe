/*
 * test_qr.c -- the enrolment's QR code (web/qr.c): the SVG drawn is the
 * code libqrencode encoded, module for module, inside its quiet zone; the
 * sizes a QR code cannot hold are refused.
 *
 * The SVG's path is read back into a matrix (every "Mx yhNv1h-Nz" a run of
 * dark modules) and compared with the encoder's own matrix, so a run cut
 * short, a row shifted or a module drawn twice fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

static void check_round_trip(const char *text)
{
	struct rc_buf b;
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(rc_web_qr_svg(&b, text), RC_OK);
	const char *svg = rc_buf_str(&b);
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	assert_non_null(q);
	int n = q->width, side = n + 8, got_side = 0;
	assert_int_equal(sscanf(strstr(svg, "viewBox=\"0 0 "), "viewBox=\"0 0 %d", &got_side), 1);
	assert_int_equal(got_side, side);
	unsigned char *m = calloc((size_t)side * (size_t)side, 1);
	assert_non_null(m);
	const char *p = strstr(svg, " d=\"");
	assert_non_null(p);
	p += 4;
	while (*p == 'M') {
		int x, y, run, back, used = 0;
		assert_int_equal(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &used), 4);
		assert_int_equal(run, back);
		assert_true(run >= 1 && x >= 0 && y >= 0 && x + run <= side && y < side);
		for (int k = 0; k < run; k++) {
			assert_int_equal(m[y * side + x + k], 0); /* never drawn twice */
			m[y * side + x + k] = 1;
		}
		p += used;
	}
	assert_true(*p == '"'); /* the path ends where the runs do */
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int inside = x >= 4 && y >= 4 && x < 4 + n && y < 4 + n;
			int want = inside ? (q->data[(y - 4) * n + (x - 4)] & 1) : 0;
			if (m[y * side + x] != want)
				fail_msg("module (%d, %d): drawn %d, encoded %d", x, y,
					 m[y * side + x], want);
		}
	/* numbers only: nothing of the text is in the page's markup */
	assert_null(strstr(svg, "otpauth"));
	free(m);
	QRcode_free(q);
	rc_buf_free(&b);
}

static void draws_the_encoded_modules(void **state)
{
	(void)state;
	check_round_trip("otpauth://totp/rongcuo:zhangsan?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
			 "&issuer=rongcuo&algorithm=SHA1&digits=6&period=30");
	check_round_trip("x");
	check_round_trip("二维码 UTF-8 文本");
}

static void refuses_what_no_code_holds(void **state)
{
	(void)state;
	struct rc_buf b;
	char *big = malloc(RC_WEB_QR_MAX + 2);
	assert_non_null(big);
	memset(big, 'a', RC_WEB_QR_MAX + 1);
	big[RC_WEB_QR_MAX + 1] = '\0';
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(rc_web_qr_svg(&b, ""), RC_ERR_LIMIT);
	assert_int_equal(rc_web_qr_svg(&b, NULL), RC_ERR_LIMIT);
	assert_int_equal(rc_web_qr_svg(&b, big), RC_ERR_LIMIT);
	assert_int_equal(b.len, 0);
	big[RC_WEB_QR_MAX] = '\0'; /* the cap itself fits a version-40 code at level M */
	assert_int_equal(rc_web_qr_svg(&b, big), RC_OK);
	rc_buf_free(&b);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(draws_the_encoded_modules),
	    cmocka_unit_test(refuses_what_no_code_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
