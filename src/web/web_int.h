/*
 * web_int.h -- internals shared by the files of src/web/: the session
 * cookie and the pre-session cookie of the log-in forms.
 */
#ifndef RC_WEB_INT_H
#define RC_WEB_INT_H

#include "web/web.h"

#define RC_WEB_PRE_LEN 64 /* "EXPIRY-NONCE": up to 10 digits, '-', 32 hex, NUL */

/* The request's session: 1 and *su, sid (the cookie's 32 hex digits) when
 * the rc_session cookie names a live session (rc_proc_session_check at
 * now), 0 when there is none (no cookie, a malformed one, an unknown,
 * expired or revoked session, a disabled user), -1 when the store failed
 * (the caller answers 500: a failing store must not look like a logout). */
int rc_web_session(struct rc_http_req *req, int64_t now, struct rc_session_user *su,
		   char sid[RC_SESSION_ID_HEX]);

/* Add Set-Cookie NAME=VALUE; Path=/; HttpOnly; SameSite=Strict (and Secure
 * when the app says so) -- a session cookie, without Expires.  VALUE NULL:
 * the cookie is deleted (empty, Max-Age=0). */
enum rc_err rc_web_cookie(struct rc_http_req *req, struct rc_http_resp *resp, const char *name,
			  const char *value);

/* The pre-session value of the log-in forms: the request's rc_pre cookie
 * when it is well-formed and not expired at now (*fresh = 0), else a new
 * one (*fresh = 1), which the caller sets.  Its CSRF token is
 * rc_web_token(app, "pre", value). */
enum rc_err rc_web_pre(struct rc_http_req *req, int64_t now, char value[RC_WEB_PRE_LEN],
		       int *fresh);

/* ---- the gate (gate.c) and the pages behind it ------------------------- */

/* One request to a page, as the gate hands it over: the session's user
 * (when the route needs one), the object of the route (in scope), the
 * CSRF token for the page's forms. */
struct rc_web_req {
	struct rc_http_req *http;
	struct rc_http_resp *resp;
	struct rc_web_app *app;
	const struct rc_access_rule *rule;
	int user; /* 1: a session (su, sid, csrf are set) */
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX]; /* wiped by the gate after the page */
	char csrf[RC_WEB_TOKEN_HEX]; /* the token the page's forms carry */
	char code[64];               /* RC_SCOPE_CASE: the case's code */
	int64_t id;                  /* RC_SCOPE_PERSON, RC_SCOPE_CLARIFICATION: the id */
	char login[72];              /* RC_SCOPE_ACCOUNT: the account's login */
	int en;                      /* 1: the pages in English (the rc_lang cookie) */
	int64_t now;                 /* unix seconds of the request */
	int32_t today;               /* its date (UTC+8: the users' day) */
	/* the policy versions, taken once at the request's start
	 * (rc_web_app_set) and used to its end */
	struct rc_policy_set *set;
	/* set by a page whose content is not a function of the data's version
	 * (the audit chain's verification reads what an edit of an old row
	 * changes without a new row): it is not kept in the page cache */
	int no_keep;
	/* the working-day calendar, taken likewise (rc_web_app_cal) */
	const struct rc_cal *cal;
};

typedef enum rc_err (*rc_web_fn)(struct rc_web_req *w);

struct rc_web_page {
	rc_web_fn fn;
};

/* Every route of the web application: {method, pattern, rc_web_dispatch,
 * &page}.  The gate runs first, then page->fn. */
enum rc_err rc_web_dispatch(struct rc_http_req *req, struct rc_http_resp *resp);
#define RC_WEB_ROUTE(m, p, page)                                                                   \
	{                                                                                          \
		(m), (p), rc_web_dispatch, &(page)                                                 \
	}

/* ---- page building (html.c) -------------------------------------------- */

/* A whole page: `main` (trusted HTML the page built) inside the layout,
 * with the navigation of the logged-in user when w->user. */
enum rc_err rc_web_page(struct rc_web_req *w, unsigned status, const char *title,
			const char *main_html);
/* A page from a template and its values (escaped by default). */
enum rc_err rc_web_page_tmpl(struct rc_web_req *w, unsigned status, const char *title,
			     const char *tmpl, const struct rc_tmpl_var *vars, size_t n);
enum rc_err rc_web_redirect(struct rc_http_resp *resp, const char *to);
/* 403 (a role the route is not for), 404 (nothing there, or not yours). */
enum rc_err rc_web_denied(struct rc_web_req *w);
enum rc_err rc_web_not_found(struct rc_web_req *w);
/* A form field, "" when absent; NULL when malformed or longer than max.
 * Read from an application/x-www-form-urlencoded body or, when the
 * request's Content-Type says so, a multipart/form-data one (a form with a
 * file chooser): the same text either way. */
const char *rc_web_field(struct rc_web_req *w, const char *name, size_t max);
/* A unit of work for this request (the audit row names the request). */
void rc_web_unit(struct rc_web_req *w, struct rc_unit *u);

/* A member of a view's JSON object as text: its string when it is a
 * non-empty one, else `none` (a dash, or ""). */
const char *rc_web_js(const json_t *o, const char *key, const char *none);
/* A table cell holding text (escaped). */
enum rc_err rc_web_td(struct rc_buf *b, const char *s);
/* Whether a procedure's answer is a refusal to show at the form (a rule,
 * the case's state, a name or value refused: 409), not a failure of the
 * server's. */
int rc_web_refused(enum rc_err e);

/* Appending HTML: text is always escaped; literal markup only as a string
 * literal (the macro refuses anything else at compile time), so that no
 * value can reach a page raw by a slip. */
#define H_LIT(b, lit) rc_buf_append((b), "" lit "", sizeof(lit) - 1)
enum rc_err rc_web_text(struct rc_buf *b, const char *s); /* escaped; NULL: "" */
enum rc_err rc_web_textf(struct rc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3))); /* formatted, then escaped */

/* ---- forms (form.c) ------------------------------------------------------ */

/* Every form of the case pages is a table of fields, so that reading and
 * checking a submission, and showing the message next to the field it is
 * about, are written once.  A field's message is about its form (missing,
 * too long, not a date, not one of the choices); the procedure's refusals
 * (a rule of the 实施办法, the case's state) are the form's message. */
struct rc_web_opt {
	const char *value, *label; /* a list ends with value NULL */
};

/* WF_AREA: a text area whose text the procedure keeps on one line (a line
 * break is refused at the field); WF_LINES: one whose line breaks are
 * kept (a policy's text); WF_FILE: a file chooser, its file read as UTF-8
 * text of at most `max` bytes (the form is then sent as
 * multipart/form-data). */
enum rc_web_fkind { WF_TEXT, WF_AREA, WF_DATE, WF_SELECT, WF_CHECK, WF_INT, WF_LINES, WF_FILE };

struct rc_web_fdef {
	const char *name, *label;
	enum rc_web_fkind kind;
	int required;
	size_t max;                    /* bytes */
	const struct rc_web_opt *opts; /* WF_SELECT: the choices (or given per form) */
	const char *hint;
	/* WF_SELECT whose choices are the case's (its next steps, its
	 * policy's facts and outcomes) and which the procedure checks itself:
	 * a submission is read without loading the case to list them. */
	int checked_by_procedure;
	const char *accept; /* WF_FILE: the chooser's accept attribute (".rcp"), or NULL */
};

#define RC_WEB_FIELDS_MAX 12

struct rc_web_form {
	const char *id;     /* the HTML id, also the anchor a redirect returns to */
	const char *title;  /* the form's heading */
	const char *action; /* where it posts */
	const char *submit; /* the button */
	const struct rc_web_fdef *defs;
	int n;
	const struct rc_web_opt *opts[RC_WEB_FIELDS_MAX]; /* per field, over defs[i].opts */
	const char *val[RC_WEB_FIELDS_MAX];               /* values as submitted, or NULL */
	const char *err[RC_WEB_FIELDS_MAX];               /* each field's message, or NULL */
	/* WF_FILE: the name of the file received, for display only (never a
	 * path: rc_http_multipart_get made it safe), "" when none was chosen;
	 * NULL when the field was not sent */
	const char *file[RC_WEB_FIELDS_MAX];
	const char *error; /* the form's message, or NULL */
};

/* A form with nothing submitted yet: its id, heading, action, button and
 * fields (n of them). */
void rc_web_form_init(struct rc_web_form *f, const char *id, const char *title, const char *action,
		      const char *submit, const struct rc_web_fdef *defs, int n);

/* Read and check the submission into f->val and f->err; the number of
 * fields with a message. */
int rc_web_form_read(struct rc_web_req *w, struct rc_web_form *f);
/* Field `name`'s value, NULL when empty or absent. */
const char *rc_web_form_val(const struct rc_web_form *f, const char *name);
/* The form as HTML, with the values and messages it holds. */
enum rc_err rc_web_form_html(struct rc_web_req *w, struct rc_buf *b, const struct rc_web_form *f);
/* The procedure's messages in d as one text for f->error (arena). */
const char *rc_web_diags_text(struct rc_web_req *w, const struct rc_diags *d);

/* ---- pages served again (pagecache.c) --------------------------------------- */

/* The key of the request's page: SM3 of the session, the request target,
 * the language, the day, and the policy set and calendar it took. */
enum rc_err rc_page_key(const struct rc_web_req *w, uint8_t key[RC_SM3_LEN]);
/* 1 and the page in resp when one is kept for key at this data version;
 * 0 (and a page kept for an older version dropped) otherwise. */
int rc_page_cache_get(struct rc_page_cache *c, const uint8_t key[RC_SM3_LEN], int64_t version,
		      struct rc_http_resp *resp);
/* Keep resp's page for key at version: only a 200 without headers of its
 * own (no cookie), not larger than the cache's cap. */
void rc_page_cache_put(struct rc_page_cache *c, const uint8_t key[RC_SM3_LEN], int64_t version,
		       const struct rc_http_resp *resp);

/* ---- English (i18n.c) ------------------------------------------------------ */

#define RC_WEB_LANG_COOKIE "rc_lang"

/* The page html[0..len) with its Chinese texts in English (data/i18n-en.tsv)
 * appended to `out`. */
enum rc_err rc_web_i18n_page(const char *html, size_t len, struct rc_buf *out);
/* For the tests: the number of lines, and whether `zh` is one's key. */
int rc_web_i18n_count(void);
int rc_web_i18n_has(const char *zh, size_t len);

/* The page tables of each file, collected by gate.c. */
extern const struct rc_http_route rc_web_auth_routes[];
extern const struct rc_http_route rc_web_case_routes[];
extern const struct rc_http_route rc_web_people_routes[];
extern const struct rc_http_route rc_web_admin_routes[];
extern const struct rc_http_route rc_web_clarify_routes[];

/* ---- the enrolment's QR code (qr.c) ------------------------------------- */

/* A QR code of `text` (1..RC_WEB_QR_MAX bytes; error correction level M,
 * 8-bit) as an inline <svg>, appended to b: dark modules as one path, a
 * quiet zone of 4 modules, sized by CSS (class "qr").  RC_ERR_LIMIT for a
 * text empty or too long for a QR code. */
#define RC_WEB_QR_MAX 1024
enum rc_err rc_web_qr_svg(struct rc_buf *b, const char *text);

#endif
