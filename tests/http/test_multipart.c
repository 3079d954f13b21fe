/*
 * test_multipart.c -- unit tests of the multipart/form-data parser
 * (http/multipart.c): bodies as browsers send them, each cap at and past
 * its value, each malformation refused, a part absent, a part twice, and
 * file names made safe to show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/http.h"

#define CT "multipart/form-data; boundary=XyZ"

static struct rc_arena A;

static int setup(void **state)
{
	(void)state;
	rc_arena_init(&A, 16u << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rc_arena_free(&A);
	return 0;
}

/* Part `name` of body (a C string) under content type ct. */
static enum rc_err get(const char *ct, const char *body, const char *name, struct rc_http_part *p)
{
	return rc_http_multipart_get(&A, ct, body, strlen(body), name, p);
}

static enum rc_err text(const char *ct, const char *body, const char *name, const char **v)
{
	return rc_http_multipart_text(&A, ct, body, strlen(body), name, v, NULL);
}

/* What Chromium sends for a form of a hidden field, a text area and a
 * file chooser. */
static const char browser[] =
    "------WebKitFormBoundaryq3b9c0x7\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n"
    "\r\n"
    "abc123\r\n"
    "------WebKitFormBoundaryq3b9c0x7\r\n"
    "Content-Disposition: form-data; name=\"text\"\r\n"
    "\r\n"
    "第一行\r\n第二行\r\n"
    "------WebKitFormBoundaryq3b9c0x7\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"东湖县.rcp\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "policy x {}\n\r\n"
    "------WebKitFormBoundaryq3b9c0x7--\r\n";
#define BROWSER_CT "multipart/form-data; boundary=----WebKitFormBoundaryq3b9c0x7"

static void test_valid(void **state)
{
	struct rc_http_part p;
	const char *v;
	size_t n;
	(void)state;
	assert_int_equal(get(BROWSER_CT, browser, "csrf", &p), RC_OK);
	assert_int_equal(p.len, 6);
	assert_string_equal(p.data, "abc123");
	assert_null(p.filename); /* a plain field */
	/* the CRLF before a delimiter is the delimiter's, line breaks inside
	 * the data are the data's */
	assert_int_equal(text(BROWSER_CT, browser, "text", &v), RC_OK);
	assert_string_equal(v, "第一行\r\n第二行");
	assert_int_equal(get(BROWSER_CT, browser, "file", &p), RC_OK);
	assert_string_equal(p.data, "policy x {}\n");
	assert_string_equal(p.filename, "东湖县.rcp");
	assert_int_equal(
	    rc_http_multipart_text(&A, BROWSER_CT, browser, strlen(browser), "file", &v, &n),
	    RC_OK);
	assert_int_equal(n, 12);

	/* a preamble and an epilogue are ignored; padding after a delimiter,
	 * header names and the media type in any case, a quoted boundary
	 * holding a space, parameters in any order, a token value */
	static const char b2[] = "this is the preamble\r\n"
				 "--a b'c \t\r\n"
				 "content-disposition: Form-Data;filename=x.rcp ;  NAME=file\r\n"
				 "\r\n"
				 "1\r\n"
				 "--a b'c\r\n"
				 "Content-Disposition: form-data; name=empty\r\n"
				 "\r\n"
				 "\r\n"
				 "--a b'c--  \r\n"
				 "an epilogue --a b'c\r\n";
	static const char ct2[] = " Multipart/Form-Data ; charset=utf-8; BOUNDARY=\"a b'c\"";
	assert_int_equal(get(ct2, b2, "file", &p), RC_OK);
	assert_string_equal(p.data, "1");
	assert_string_equal(p.filename, "x.rcp");
	assert_int_equal(get(ct2, b2, "empty", &p), RC_OK);
	assert_int_equal(p.len, 0);
	assert_string_equal(p.data, "");

	/* any byte in a file, NUL and CR included: get gives them, text
	 * refuses them */
	static const char b3[] = "--XyZ\r\n"
				 "Content-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
				 "Content-Transfer-Encoding: binary\r\n"
				 "\r\n"
				 "a\0b\r\xff--XyZ\r\n"
				 "\r\n--XyZ--";
	assert_int_equal(rc_http_multipart_get(&A, CT, b3, sizeof(b3) - 1, "f", &p), RC_OK);
	assert_int_equal(p.len, 12);
	assert_memory_equal(p.data, "a\0b\r\xff--XyZ\r\n", 12);
	assert_string_equal(p.filename, ""); /* no file chosen */
	assert_int_equal(rc_http_multipart_text(&A, CT, b3, sizeof(b3) - 1, "f", &v, NULL),
			 RC_ERR_SYNTAX);
	assert_null(v);

	/* the body ends right after the close delimiter */
	assert_int_equal(get(CT,
			     "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
			     "1\r\n--XyZ--",
			     "a", &p),
			 RC_OK);
	assert_string_equal(p.data, "1");
}

static void test_absent_and_twice(void **state)
{
	struct rc_http_part p;
	const char *v = "x";
	(void)state;
	assert_int_equal(get(BROWSER_CT, browser, "nope", &p), RC_ERR_NOT_FOUND);
	assert_null(p.data);
	assert_int_equal(get(BROWSER_CT, browser, "", &p), RC_ERR_NOT_FOUND);
	assert_int_equal(get(BROWSER_CT, browser, "csr", &p), RC_ERR_NOT_FOUND);  /* not a prefix */
	assert_int_equal(get(BROWSER_CT, browser, "CSRF", &p), RC_ERR_NOT_FOUND); /* exact */
	assert_int_equal(text(CT, "--XyZ--\r\n", "a", &v), RC_ERR_NOT_FOUND); /* no part at all */
	assert_null(v);
	/* the same name twice, whichever one is asked for, and whatever the
	 * other part is (a file and a field) */
	static const char twice[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n"
	    "2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
	    "filename=\"a.rcp\"\r\n\r\n3\r\n--XyZ--\r\n";
	assert_int_equal(get(CT, twice, "a", &p), RC_ERR_SYNTAX);
	assert_int_equal(get(CT, twice, "b", &p), RC_OK);
	assert_string_equal(p.data, "2");
}

/* A body of n parts named f0, f1, ... */
static char *parts(int n)
{
	struct rc_buf b;
	rc_buf_init(&b, 1 << 20);
	for (int i = 0; i < n; i++)
		assert_int_equal(rc_buf_printf(&b,
					       "--XyZ\r\nContent-Disposition: form-data; "
					       "name=\"f%d\"\r\n\r\n%d\r\n",
					       i, i),
				 RC_OK);
	assert_int_equal(rc_buf_printf(&b, "--XyZ--\r\n"), RC_OK);
	char *s = strdup(rc_buf_str(&b));
	rc_buf_free(&b);
	assert_non_null(s);
	return s;
}

/* One part whose head holds `extra` (lines with their CRLF) after its
 * Content-Disposition. */
static char *head(const char *extra)
{
	struct rc_buf b;
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(
	    rc_buf_printf(&b,
			  "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n%s\r\n"
			  "1\r\n--XyZ--\r\n",
			  extra),
	    RC_OK);
	char *s = strdup(rc_buf_str(&b));
	rc_buf_free(&b);
	assert_non_null(s);
	return s;
}

static void test_caps(void **state)
{
	struct rc_http_part p;
	char ct[160], bnd[RC_HTTP_BOUNDARY_MAX + 2], body[400], line[RC_HTTP_PART_LINE_MAX + 8];
	struct rc_buf lines;
	(void)state;

	/* parts: RC_HTTP_FORM_FIELDS_MAX, then one more */
	char *s = parts(RC_HTTP_FORM_FIELDS_MAX);
	assert_int_equal(get(CT, s, "f63", &p), RC_OK);
	assert_string_equal(p.data, "63");
	free(s);
	s = parts(RC_HTTP_FORM_FIELDS_MAX + 1);
	assert_int_equal(get(CT, s, "f0", &p), RC_ERR_LIMIT);
	free(s);

	/* header lines of a part: the Content-Disposition and 7 more, then 8 */
	rc_buf_init(&lines, 4096);
	for (int i = 1; i < RC_HTTP_PART_HEADERS_MAX; i++)
		assert_int_equal(rc_buf_printf(&lines, "X-N%d: %d\r\n", i, i), RC_OK);
	s = head(rc_buf_str(&lines));
	assert_int_equal(get(CT, s, "a", &p), RC_OK);
	free(s);
	assert_int_equal(rc_buf_printf(&lines, "X-Last: 1\r\n"), RC_OK);
	s = head(rc_buf_str(&lines));
	assert_int_equal(get(CT, s, "a", &p), RC_ERR_LIMIT);
	free(s);
	rc_buf_free(&lines);

	/* a header line: RC_HTTP_PART_LINE_MAX bytes, then one more */
	memset(line, 'v', sizeof(line));
	memcpy(line, "X-Long: ", 8);
	line[RC_HTTP_PART_LINE_MAX] = '\0';
	assert_int_equal(strlen(line), RC_HTTP_PART_LINE_MAX);
	char with_crlf[RC_HTTP_PART_LINE_MAX + 8];
	snprintf(with_crlf, sizeof(with_crlf), "%s\r\n", line);
	s = head(with_crlf);
	assert_int_equal(get(CT, s, "a", &p), RC_OK);
	free(s);
	line[RC_HTTP_PART_LINE_MAX] = 'v';
	line[RC_HTTP_PART_LINE_MAX + 1] = '\0';
	snprintf(with_crlf, sizeof(with_crlf), "%s\r\n", line);
	s = head(with_crlf);
	assert_int_equal(get(CT, s, "a", &p), RC_ERR_LIMIT);
	free(s);
	/* a long line that never ends: the cap, not "cut short" */
	struct rc_buf big;
	rc_buf_init(&big, 1 << 20);
	assert_int_equal(rc_buf_printf(&big, "--XyZ\r\nX-Long: "), RC_OK);
	for (int i = 0; i < 4000; i++)
		assert_int_equal(rc_buf_append(&big, "v", 1), RC_OK);
	assert_int_equal(get(CT, rc_buf_str(&big), "a", &p), RC_ERR_LIMIT);
	rc_buf_free(&big);

	/* the boundary: 70 bytes, then 71 */
	memset(bnd, 'b', sizeof(bnd));
	bnd[RC_HTTP_BOUNDARY_MAX] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	snprintf(body, sizeof(body),
		 "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--\r\n", bnd,
		 bnd);
	assert_int_equal(get(ct, body, "a", &p), RC_OK);
	assert_string_equal(p.data, "1");
	bnd[RC_HTTP_BOUNDARY_MAX] = 'b';
	bnd[RC_HTTP_BOUNDARY_MAX + 1] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	snprintf(body, sizeof(body),
		 "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--\r\n", bnd,
		 bnd);
	assert_int_equal(get(ct, body, "a", &p), RC_ERR_SYNTAX);

	/* a file's name: cut at RC_HTTP_FILENAME_MAX bytes, on a character */
	struct rc_buf fn;
	rc_buf_init(&fn, 8192);
	assert_int_equal(
	    rc_buf_printf(&fn, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\""),
	    RC_OK);
	for (int i = 0; i < 100; i++)
		assert_int_equal(rc_buf_printf(&fn, "张"), RC_OK); /* 300 bytes */
	assert_int_equal(rc_buf_printf(&fn, "\"\r\n\r\n1\r\n--XyZ--\r\n"), RC_OK);
	assert_int_equal(get(CT, rc_buf_str(&fn), "f", &p), RC_OK);
	assert_int_equal(strlen(p.filename), 85 * 3); /* 85 whole characters fit in 255 */
	rc_buf_free(&fn);
}

/* Each of these bodies, under CT, is refused as malformed. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
	    "", /* empty */
	    /* no delimiter at all */
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n",
	    /* cut short: in the head, in the data, before the close delimiter */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ-",
	    "--XyZ",
	    /* line ends other than CRLF */
	    "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data;\r name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\n--XyZ--\r\n",
	    /* a delimiter followed by something else: the boundary in the data */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZW\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--W\r\n",
	    "--XyZW\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    /* a folded header line */
	    "--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    /* no Content-Disposition, another disposition, no name, twice */
	    "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    /* parameters: a name or filename twice, an unclosed quote, no
	     * '=', no value, no ';' */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
	    "name=\"b\"\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=x; filename=y\r\n\r\n"
	    "1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name = \"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    /* header lines that are not "name: value" */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nno "
	    "colon\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition : form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    "--XyZ\r\n: x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
	    /* an encoding we would have to undo */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n--XyZ--\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	    "Content-Transfer-Encoding: binary x\r\n\r\n1\r\n--XyZ--\r\n",
	};
	struct rc_http_part p;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum rc_err e = get(CT, bad[i], "a", &p);
		if (e != RC_ERR_SYNTAX)
			fail_msg("body %zu: %s, not syntax: %s", i, rc_strerror(e), bad[i]);
		assert_null(p.data);
	}
	/* a NUL in a head */
	static const char nul[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX: \0\r\n"
				  "\r\n1\r\n--XyZ--\r\n";
	assert_int_equal(rc_http_multipart_get(&A, CT, nul, sizeof(nul) - 1, "a", &p),
			 RC_ERR_SYNTAX);
	/* a text that is not UTF-8: the bytes are there, the text is not */
	const char *v;
	static const char gbk[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
				  "\xd5\xc5\xc8\xfd\r\n--XyZ--\r\n";
	assert_int_equal(get(CT, gbk, "a", &p), RC_OK);
	assert_int_equal(text(CT, gbk, "a", &v), RC_ERR_SYNTAX);
	/* a malformed part after the one asked for still spoils the body */
	static const char late[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
				   "1\r\n--XyZ\r\nContent-Disposition: form-data\r\n\r\n2\r\n"
				   "--XyZ--\r\n";
	assert_int_equal(get(CT, late, "a", &p), RC_ERR_SYNTAX);
}

static void test_content_type(void **state)
{
	static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
				   "1\r\n--XyZ--\r\n";
	static const char *const bad[] = {
	    NULL,
	    "",
	    "application/x-www-form-urlencoded",
	    "multipart/form-data",                             /* no boundary */
	    "multipart/form-data;",                            /* nor here */
	    "multipart/form-data; boundary=",                  /* empty */
	    "multipart/form-data; boundary=\"\"",              /* empty */
	    "multipart/form-data; boundary=XyZ; boundary=XyZ", /* twice */
	    "multipart/mixed; boundary=XyZ",
	    "multipart/form-dataX; boundary=XyZ",
	    "multipart/form-data boundary=XyZ",
	    "multipart/form-data; boundary=\"XyZ",     /* unclosed */
	    "multipart/form-data; boundary=\"Xy\\Z\"", /* a quoted-pair */
	    "multipart/form-data; boundary=\"XyZ \"",  /* a space last */
	    "multipart/form-data; boundary=\"Xy;Z\"",  /* not a bchar */
	    "multipart/form-data; boundary=Xy Z",      /* a token ends at the space */
	    "multipart/form-data; boundary=XyZ; =1",
	};
	struct rc_http_part p;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum rc_err e = get(bad[i], body, "a", &p);
		if (e != RC_ERR_SYNTAX)
			fail_msg("content type %zu: %s", i, rc_strerror(e));
	}
	assert_int_equal(get("multipart/form-data; boundary=\"XyZ\"", body, "a", &p), RC_OK);
	assert_int_equal(get("multipart/form-data;boundary=XyZ;charset=utf-8", body, "a", &p),
			 RC_OK);

	assert_true(rc_http_multipart_is("multipart/form-data"));
	assert_true(rc_http_multipart_is("Multipart/Form-Data; boundary=x"));
	assert_true(rc_http_multipart_is("  multipart/form-data ;x"));
	assert_false(rc_http_multipart_is(NULL));
	assert_false(rc_http_multipart_is(""));
	assert_false(rc_http_multipart_is("application/x-www-form-urlencoded"));
	assert_false(rc_http_multipart_is("multipart/form-datax"));
	assert_false(rc_http_multipart_is("multipart/form-data x"));
}

static const char *filename(const char *fn)
{
	char body[1024];
	struct rc_http_part p;
	snprintf(body, sizeof(body),
		 "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"%s\"\r\n\r\n"
		 "1\r\n--XyZ--\r\n",
		 fn);
	assert_int_equal(get(CT, body, "f", &p), RC_OK);
	return p.filename;
}

static void test_filename(void **state)
{
	(void)state;
	assert_string_equal(filename("zhejiang-2023.rcp"), "zhejiang-2023.rcp");
	/* never a path: the last segment, whichever separator */
	assert_string_equal(filename("../../etc/passwd"), "passwd");
	assert_string_equal(filename("C:\\Users\\张三\\新版本.rcp"), "新版本.rcp");
	assert_string_equal(filename("dir/"), "");
	/* controls, bidirectional overrides and invalid UTF-8 shown as '_' */
	assert_string_equal(filename("a\tb"), "a_b");
	assert_string_equal(filename("a\x01\x1b[31mb"), "a__[31mb");
	assert_string_equal(filename("a\x7f"
				     "b"),
			    "a_b");
	assert_string_equal(filename("a\xc2\x85"
				     "b"),
			    "a_b"); /* U+0085, a C1 control: one '_' */
	assert_string_equal(filename("evil\xe2\x80\xaepcr.exe"), "evil_pcr.exe");
	assert_string_equal(filename("\xff\xfe.rcp"), "__.rcp");
	assert_string_equal(filename("%22quoted%22.rcp"), "%22quoted%22.rcp"); /* as sent */
}

static void test_nomem(void **state)
{
	struct rc_http_part p;
	struct rc_arena small;
	(void)state;
	for (int k = 1; k <= 2; k++) {
		rc_arena_init(&small, 0);
		small.fail_after = k; /* the data's copy, then the file name's */
		assert_int_equal(
		    rc_http_multipart_get(&small, BROWSER_CT, browser, strlen(browser), "file", &p),
		    RC_ERR_NOMEM);
		rc_arena_free(&small);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),        cmocka_unit_test(test_absent_and_twice),
	    cmocka_unit_test(test_caps),         cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_content_type), cmocka_unit_test(test_filename),
	    cmocka_unit_test(test_nomem),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
