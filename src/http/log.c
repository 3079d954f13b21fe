/*
 * log.c -- the server's log: one JSON object per line on stderr.
 *
 * Lines are for machines first (a collector parses them), so each is a
 * complete JSON object, written with a single write(2): the server's
 * threads log requests while the main thread logs start and stop, and a
 * line must never be split by another.  What goes in a line is decided by
 * its caller; this file guarantees only that the line is valid JSON and
 * UTF-8, whatever bytes a client sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"
#include "http/http_int.h"

static void now_utc(char out[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

json_t *rc_http_log_begin(const char *event)
{
	char t[32];
	json_t *o = json_object();
	if (!o)
		return NULL;
	now_utc(t);
	if (json_object_set_new(o, "time", json_string(t)) ||
	    json_object_set_new(o, "event", json_string(event))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void rc_http_log_set(json_t *line, const char *key, json_t *value)
{
	if (line && value)
		json_object_set_new(line, key, value);
	else
		json_decref(value);
}

void rc_http_log_emit(json_t *line)
{
	if (!line)
		return;
	char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(line);
	if (!s)
		return;
	size_t len = strlen(s);
	s[len] = '\n'; /* replaces the NUL: the line and its newline in one write */
	const char *p = s;
	size_t left = len + 1;
	while (left) {
		ssize_t w = write(STDERR_FILENO, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* stderr is gone: nothing else to tell */
		p += w;
		left -= (size_t)w;
	}
	free(s);
}

json_t *rc_http_log_text(const char *s, size_t len, size_t max)
{
	/* U+FFFD is 3 bytes, so an output of at most 3 * max + "..." */
	char out[3 * 512 + 4];
	size_t o = 0, i = 0;
	if (max > 512)
		max = 512;
	while (i < len && i < max) {
		uint32_t cp;
		size_t n = rc_utf8_decode(s + i, len - i, &cp);
		if (n == 0 || i + n > max) {
			if (n != 0)
				break; /* a character cut by the cap: leave it out */
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	return json_stringn(out, o);
}

void rc_http_log_stop(const struct rc_http_stats *st, const char *reason)
{
	json_t *line = rc_http_log_begin("stop");
	rc_http_log_set(line, "reason", json_string(reason ? reason : "unknown"));
	if (st) {
		rc_http_log_set(line, "requests", json_integer((json_int_t)st->requests));
		rc_http_log_set(line, "cut", json_integer(st->cut));
		rc_http_log_set(line, "uptime_s", json_real(st->uptime_s));
	}
	rc_http_log_emit(line);
}
