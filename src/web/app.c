/*
 * app.c -- the web application's shared state: its set-up, the policy
 * versions and the working-day calendar requests read, and its end.
 *
 * Requests run on several threads (http.h, Threads).  Everything in struct
 * rc_web_app is read only while the server runs, except the policy set and
 * the calendar, which an activation (admin.c) replaces.  Each is replaced,
 * never changed in place: a request takes it once, at its start, and keeps
 * using it even if a newer one is published meanwhile, so the old one must
 * outlive every request that took it.  Those published are kept until
 * rc_web_app_done -- an activation is a rare act of 系统管理员 (a calendar
 * once a year), and each is small: the few compiled versions of one policy,
 * the days of the years loaded.
 */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "policy/policy.h"
#include "web/web_int.h"

enum rc_err rc_web_app_init(struct rc_web_app *app, const uint8_t *audit_key,
			    const struct rc_session_limits *lim, int secure)
{
	static const char label[] = "rongcuo web csrf v1";
	memset(app, 0, sizeof(*app));
	app->lim.idle_s = lim ? lim->idle_s : RC_SESSION_IDLE;
	app->lim.absolute_s = lim ? lim->absolute_s : RC_SESSION_ABSOLUTE;
	app->secure = secure;
	if (pthread_mutex_init(&app->lock, NULL) != 0)
		return RC_ERR_NOMEM;
	if (pthread_mutex_init(&app->activating, NULL) != 0) {
		pthread_mutex_destroy(&app->lock);
		return RC_ERR_NOMEM;
	}
	if (pthread_mutex_init(&app->cal_activating, NULL) != 0) {
		pthread_mutex_destroy(&app->activating);
		pthread_mutex_destroy(&app->lock);
		return RC_ERR_NOMEM;
	}
	app->ready = 1;
	return rc_hmac_sm3(audit_key, RC_AUDIT_KEY_LEN, label, sizeof(label) - 1, app->csrf_key);
}

void rc_web_app_done(struct rc_web_app *app)
{
	if (!app)
		return;
	for (int i = 0; i < app->n_owned; i++)
		rc_policy_set_free(app->owned[i]);
	free(app->owned);
	for (int i = 0; i < app->n_owned_cals; i++)
		rc_cal_free(app->owned_cals[i]);
	free(app->owned_cals);
	if (app->ready) {
		pthread_mutex_destroy(&app->lock);
		pthread_mutex_destroy(&app->activating);
		pthread_mutex_destroy(&app->cal_activating);
	}
	rc_crypto_wipe(app, sizeof(*app));
}

struct rc_policy_set *rc_web_app_set(struct rc_web_app *app)
{
	pthread_mutex_lock(&app->lock);
	struct rc_policy_set *s = app->set;
	pthread_mutex_unlock(&app->lock);
	return s;
}

enum rc_err rc_web_app_reserve(struct rc_web_app *app)
{
	enum rc_err e = RC_OK;
	pthread_mutex_lock(&app->lock);
	if (app->n_owned == app->cap_owned) {
		int cap = app->cap_owned ? 2 * app->cap_owned : 4;
		struct rc_policy_set **o = realloc(app->owned, (size_t)cap * sizeof(*o));
		if (o) {
			app->owned = o;
			app->cap_owned = cap;
		} else {
			e = RC_ERR_NOMEM;
		}
	}
	pthread_mutex_unlock(&app->lock);
	return e;
}

void rc_web_app_publish(struct rc_web_app *app, struct rc_policy_set *next)
{
	pthread_mutex_lock(&app->lock);
	/* rc_web_app_reserve made the room; without it (a caller's bug) the
	 * set still replaces the old one, and is kept until the process ends */
	if (app->n_owned < app->cap_owned)
		app->owned[app->n_owned++] = next;
	app->set = next;
	pthread_mutex_unlock(&app->lock);
}

const struct rc_cal *rc_web_app_cal(struct rc_web_app *app)
{
	pthread_mutex_lock(&app->lock);
	const struct rc_cal *c = app->cal;
	pthread_mutex_unlock(&app->lock);
	return c;
}

enum rc_err rc_web_app_reserve_cal(struct rc_web_app *app)
{
	enum rc_err e = RC_OK;
	pthread_mutex_lock(&app->lock);
	if (app->n_owned_cals == app->cap_owned_cals) {
		int cap = app->cap_owned_cals ? 2 * app->cap_owned_cals : 4;
		struct rc_cal **o = realloc(app->owned_cals, (size_t)cap * sizeof(*o));
		if (o) {
			app->owned_cals = o;
			app->cap_owned_cals = cap;
		} else {
			e = RC_ERR_NOMEM;
		}
	}
	pthread_mutex_unlock(&app->lock);
	return e;
}

void rc_web_app_publish_cal(struct rc_web_app *app, struct rc_cal *next)
{
	pthread_mutex_lock(&app->lock);
	/* rc_web_app_reserve_cal made the room; without it (a caller's bug)
	 * the calendar still replaces the old one, and is kept until the
	 * process ends */
	if (app->n_owned_cals < app->cap_owned_cals)
		app->owned_cals[app->n_owned_cals++] = next;
	app->cal = next;
	pthread_mutex_unlock(&app->lock);
}
