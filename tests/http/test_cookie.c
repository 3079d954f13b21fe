/*
 * test_cookie.c -- unit tests of the Cookie header and form body parsers
 * (http/cookie.c), with hostile input: long, many, duplicated, quoted,
 * malformed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static const char *SID = "0123456789abcdef0123456789abcdef";

static enum rc_err find(const char *h, char *out)
{
	return rc_http_cookie_find(h, "rc_session", out, 33);
}

static void test_cookie_plain(void **state)
{
	char v[33];
	char h[256];
	(void)state;
	snprintf(h, sizeof(h), "rc_session=%s", SID);
	assert_int_equal(find(h, v), RC_OK);
	assert_string_equal(v, SID);
	snprintf(h, sizeof(h), "a=1; rc_session=%s; b=2", SID);
	assert_int_equal(find(h, v), RC_OK);
	assert_string_equal(v, SID);
	snprintf(h, sizeof(h), "a=1;rc_session = %s ;b", SID);
	assert_int_equal(find(h, v), RC_OK);
	assert_string_equal(v, SID);
	/* quoted: the quotes are not part of the value */
	snprintf(h, sizeof(h), "rc_session=\"%s\"", SID);
	assert_int_equal(find(h, v), RC_OK);
	assert_string_equal(v, SID);
	assert_int_equal(rc_http_cookie_find("rc_session=", "rc_session", v, sizeof(v)), RC_OK);
	assert_string_equal(v, "");
}

static void test_cookie_absent(void **state)
{
	char v[33] = "x";
	(void)state;
	assert_int_equal(find(NULL, v), RC_ERR_NOT_FOUND);
	assert_string_equal(v, "");
	assert_int_equal(find("", v), RC_ERR_NOT_FOUND);
	assert_int_equal(find(";;; ;", v), RC_ERR_NOT_FOUND);
	assert_int_equal(find("rc_session", v), RC_ERR_NOT_FOUND);    /* no '=' */
	assert_int_equal(find("xrc_session=1", v), RC_ERR_NOT_FOUND); /* not a prefix match */
	assert_int_equal(find("rc_sessionx=1", v), RC_ERR_NOT_FOUND);
	assert_int_equal(find("RC_SESSION=1", v), RC_ERR_NOT_FOUND); /* names are exact */
	assert_int_equal(find("a=rc_session=1", v), RC_ERR_NOT_FOUND);
}

static void test_cookie_hostile(void **state)
{
	char v[33] = "x", h[512];
	(void)state;
	/* duplicated, same or different values: which one is not ours to guess */
	snprintf(h, sizeof(h), "rc_session=%s; rc_session=%s", SID, SID);
	assert_int_equal(find(h, v), RC_ERR_CONFLICT);
	assert_string_equal(v, "");
	snprintf(h, sizeof(h), "rc_session=%s; x=1; rc_session=ffffffffffffffffffffffffffffffff",
		 SID);
	assert_int_equal(find(h, v), RC_ERR_CONFLICT);
	/* bytes outside cookie-octet */
	assert_int_equal(find("rc_session=a b", v), RC_ERR_SYNTAX);
	assert_int_equal(find("rc_session=a\"b", v), RC_ERR_SYNTAX);
	assert_int_equal(find("rc_session=\"abc", v), RC_ERR_SYNTAX); /* one quote */
	assert_int_equal(find("rc_session=a\\b", v), RC_ERR_SYNTAX);
	assert_int_equal(find("rc_session=a,b", v), RC_ERR_SYNTAX);
	assert_int_equal(find("rc_session=\xe5\xbc\xa0", v), RC_ERR_SYNTAX);
	assert_int_equal(find("rc_session=a\x01", v), RC_ERR_SYNTAX);
	/* a value longer than the room for it */
	snprintf(h, sizeof(h), "rc_session=%s0", SID);
	assert_int_equal(find(h, v), RC_ERR_LIMIT);
	assert_string_equal(v, "");
}

static void test_cookie_long_and_many(void **state)
{
	char v[33];
	size_t n = RC_HTTP_COOKIE_HEADER_MAX + 100;
	char *h = malloc(n + 1);
	(void)state;
	assert_non_null(h);
	/* a header over the cap is not read at all */
	memset(h, 'a', n);
	memcpy(h, "rc_session=", 11);
	h[n] = '\0';
	assert_int_equal(find(h, v), RC_ERR_LIMIT);
	/* RC_HTTP_COOKIES_MAX pairs are read; one more is refused */
	size_t len = 0;
	for (int i = 0; i < RC_HTTP_COOKIES_MAX - 1; i++)
		len += (size_t)snprintf(h + len, n - len, "c%d=1; ", i);
	snprintf(h + len, n - len, "rc_session=%s", SID);
	assert_int_equal(find(h, v), RC_OK);
	assert_string_equal(v, SID);
	len = 0;
	for (int i = 0; i < RC_HTTP_COOKIES_MAX; i++)
		len += (size_t)snprintf(h + len, n - len, "c%d=1; ", i);
	snprintf(h + len, n - len, "rc_session=%s", SID);
	assert_int_equal(find(h, v), RC_ERR_LIMIT);
	/* many semicolons are pairs too */
	memset(h, ';', 200);
	h[200] = '\0';
	assert_int_equal(find(h, v), RC_ERR_LIMIT);
	free(h);
}

static void test_form(void **state)
{
	struct rc_arena a;
	const char *v;
	size_t len;
	(void)state;
	rc_arena_init(&a, 1 << 20);
	const char *b = "csrf=ab12&login=li+si&password=p%26w%3D%25&code=&flag";
	assert_int_equal(rc_http_form_get(&a, b, strlen(b), "login", &v, &len), RC_OK);
	assert_string_equal(v, "li si");
	assert_int_equal(rc_http_form_get(&a, b, strlen(b), "password", &v, &len), RC_OK);
	assert_string_equal(v, "p&w=%");
	assert_int_equal(len, 5);
	assert_int_equal(rc_http_form_get(&a, b, strlen(b), "code", &v, &len), RC_OK);
	assert_string_equal(v, "");
	assert_int_equal(rc_http_form_get(&a, b, strlen(b), "flag", &v, &len), RC_OK);
	assert_string_equal(v, "");
	assert_int_equal(rc_http_form_get(&a, b, strlen(b), "csr", &v, &len), RC_ERR_NOT_FOUND);
	assert_null(v);
	const char *zh = "name=%E5%BC%A0%E4%B8%89";
	assert_int_equal(rc_http_form_get(&a, zh, strlen(zh), "name", &v, NULL), RC_OK);
	assert_string_equal(v, "张三");
	/* hostile: twice, bad escapes, NUL, invalid UTF-8, too many fields */
	const char *twice = "csrf=a&csrf=b";
	assert_int_equal(rc_http_form_get(&a, twice, strlen(twice), "csrf", &v, NULL),
			 RC_ERR_SYNTAX);
	const char *bad[] = {"x=%", "x=%4", "x=%zz", "x=%00", "x=%ff", "x=a%C3"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rc_http_form_get(&a, bad[i], strlen(bad[i]), "x", &v, NULL),
				 RC_ERR_SYNTAX);
	char many[1024];
	size_t n = 0;
	for (int i = 0; i <= RC_HTTP_FORM_FIELDS_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "f%d=1&", i);
	assert_int_equal(rc_http_form_get(&a, many, n, "x", &v, NULL), RC_ERR_LIMIT);
	/* the body is length-carrying: nothing past len is read */
	const char *cut = "x=12345";
	assert_int_equal(rc_http_form_get(&a, cut, 4, "x", &v, &len), RC_OK);
	assert_string_equal(v, "12");
	rc_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cookie_plain),   cmocka_unit_test(test_cookie_absent),
	    cmocka_unit_test(test_cookie_hostile), cmocka_unit_test(test_cookie_long_and_many),
	    cmocka_unit_test(test_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
