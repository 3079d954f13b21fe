/*
 * form.c -- forms as tables of fields: reading, checking, rendering.
 */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "web/web_int.h"

static const struct rc_web_opt *options(const struct rc_web_form *f, int i)
{
	return f->opts[i] ? f->opts[i] : f->defs[i].opts;
}

/* One line of text: no control characters (a text area may hold line
 * breaks and tabs). */
static int clean(const char *v, int area)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && !(area && (*p == '\n' || *p == '\r' || *p == '\t'))) ||
		    *p == 0x7f)
			return 0;
	return 1;
}

void rc_web_form_init(struct rc_web_form *f, const char *id, const char *title, const char *action,
		      const char *submit, const struct rc_web_fdef *defs, int n)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->title = title;
	f->action = action;
	f->submit = submit;
	f->defs = defs;
	f->n = n;
}

/*
 * A file chooser's field: the file's bytes as the field's text, its name
 * in f->file[i].  Only a multipart/form-data body carries a file; a body
 * of another type (a client that ignored the form's enctype) has none.
 * What is wrong with the file is said at the field, like a typed value's
 * fault: too large, not UTF-8 text (a NUL is never in one), a control
 * character a text area could not hold either.
 */
static void read_file(struct rc_web_req *w, struct rc_web_form *f, int i)
{
	const struct rc_web_fdef *fd = &f->defs[i];
	struct rc_http_req *req = w->http;
	const char *ct = rc_http_req_header(req, "Content-Type");
	struct rc_http_part part;
	enum rc_err e;
	f->val[i] = "";
	f->err[i] = NULL;
	f->file[i] = NULL;
	if (!rc_http_multipart_is(ct))
		return;
	e = rc_http_multipart_get(req->arena, ct, req->body, req->body_len, fd->name, &part);
	if (e == RC_ERR_NOT_FOUND)
		return;
	if (e) {
		/* the gate read the body whole for the CSRF token, so it is
		 * well-formed: this is the part sent twice, or the arena */
		f->err[i] = "文件无法读取，请重新选择。";
		return;
	}
	f->file[i] = part.filename ? part.filename : "";
	if (part.len == 0) {
		/* no file chosen (the browser sends an empty part), or an
		 * empty one: nothing to read */
		if (fd->required)
			f->err[i] = "请选择文件。";
	} else if (part.len > fd->max) {
		f->err[i] = rc_arena_sprintf(req->arena, "文件过大：最多 %zu 字节。", fd->max);
	} else if (memchr(part.data, '\0', part.len) || !rc_utf8_valid(part.data, part.len, NULL)) {
		f->err[i] = "文件内容无法识别：须为 UTF-8 编码的文本文件。";
	} else if (!clean(part.data, 1)) {
		f->err[i] = "文件含有不允许的控制字符。";
	} else {
		f->val[i] = part.data;
	}
}

int rc_web_form_read(struct rc_web_req *w, struct rc_web_form *f)
{
	int bad = 0;
	for (int i = 0; i < f->n; i++) {
		const struct rc_web_fdef *fd = &f->defs[i];
		if (fd->kind == WF_FILE) {
			read_file(w, f, i);
			bad += f->err[i] != NULL;
			continue;
		}
		const char *v = rc_web_field(w, fd->name, fd->max);
		f->val[i] = v;
		f->err[i] = NULL;
		if (!v) {
			const char *len = rc_web_field(w, fd->name, RC_HTTP_BODY_MAX);
			f->err[i] = len ? rc_arena_sprintf(
					      w->http->arena,
					      "过长：最多 %zu 字节（一个汉字占 3 字节）。", fd->max)
					: "内容无法识别（须为 UTF-8 文本）。";
			f->val[i] = "";
		} else if (fd->kind == WF_CHECK) {
			if (*v && strcmp(v, "1") != 0)
				f->err[i] = "勾选框的值无法识别。";
		} else if (!*v) {
			if (fd->required)
				f->err[i] = "此项必填。";
		} else if (!clean(v, fd->kind == WF_LINES)) {
			/* the procedure keeps every text on one line: said at the
			 * field, rather than as a refusal of the form */
			f->err[i] = fd->kind == WF_AREA && (strchr(v, '\n') || strchr(v, '\r'))
					? "请写成一段，不要换行。"
					: "含有不允许的控制字符。";
		} else if (fd->kind == WF_DATE) {
			int32_t d;
			if (strlen(v) != 10 || rc_date_parse(v, 10, &d))
				f->err[i] = "请填写日期，格式为 YYYY-MM-DD（如 2026-03-01）。";
		} else if (fd->kind == WF_INT) {
			size_t k = 0;
			while (v[k] >= '0' && v[k] <= '9')
				k++;
			if (v[k] || k == 0 || k > 15)
				f->err[i] = "请填写正整数。";
		} else if (fd->kind == WF_SELECT && !(fd->checked_by_procedure && !options(f, i))) {
			/* no list (it could not be loaded): nothing is a choice */
			const struct rc_web_opt *o = options(f, i);
			while (o && o->value && strcmp(o->value, v) != 0)
				o++;
			if (!o || !o->value)
				f->err[i] = "请从列表中选择。";
		}
		bad += f->err[i] != NULL;
		if (!f->err[i] && f->err[i] == NULL && !f->val[i])
			f->val[i] = "";
	}
	return bad;
}

const char *rc_web_form_val(const struct rc_web_form *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->defs[i].name, name) == 0)
			return f->val[i] && *f->val[i] ? f->val[i] : NULL;
	return NULL;
}

#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((e = (x)))                                                                     \
			return e;                                                                  \
	} while (0)

static enum rc_err field_html(struct rc_buf *b, const struct rc_web_form *f, int i)
{
	const struct rc_web_fdef *fd = &f->defs[i];
	const char *v = f->val[i] ? f->val[i] : "";
	char id[96];
	enum rc_err e;
	snprintf(id, sizeof(id), "%s-%s", f->id, fd->name);
	if (fd->kind == WF_CHECK) {
		TRY(H_LIT(b,
			  "<label class=\"check\"><input type=\"checkbox\" value=\"1\" name=\""));
		TRY(rc_web_text(b, fd->name));
		TRY(H_LIT(b, "\" id=\""));
		TRY(rc_web_text(b, id));
		TRY(strcmp(v, "1") == 0 ? H_LIT(b, "\" checked>") : H_LIT(b, "\">"));
		TRY(rc_web_text(b, fd->label));
		TRY(H_LIT(b, "</label>\n"));
	} else {
		TRY(H_LIT(b, "<label for=\""));
		TRY(rc_web_text(b, id));
		TRY(H_LIT(b, "\">"));
		TRY(rc_web_text(b, fd->label));
		if (fd->required)
			TRY(H_LIT(b, " <span class=\"req\" title=\"必填\">*</span>"));
		TRY(H_LIT(b, "</label>\n"));
		if (fd->kind == WF_SELECT) {
			TRY(H_LIT(b, "<select id=\""));
			TRY(rc_web_text(b, id));
			TRY(H_LIT(b, "\" name=\""));
			TRY(rc_web_text(b, fd->name));
			TRY(fd->required ? H_LIT(b, "\" required>") : H_LIT(b, "\">"));
			TRY(H_LIT(b, "<option value=\"\">请选择</option>"));
			for (const struct rc_web_opt *o = options(f, i); o && o->value; o++) {
				TRY(H_LIT(b, "<option value=\""));
				TRY(rc_web_text(b, o->value));
				TRY(strcmp(o->value, v) == 0 ? H_LIT(b, "\" selected>")
							     : H_LIT(b, "\">"));
				TRY(rc_web_text(b, o->label ? o->label : o->value));
				TRY(H_LIT(b, "</option>"));
			}
			TRY(H_LIT(b, "</select>\n"));
		} else if (fd->kind == WF_FILE) {
			/* a chooser has no value to give back: the name of the
			 * file received is the page's to show */
			TRY(H_LIT(b, "<input type=\"file\" id=\""));
			TRY(rc_web_text(b, id));
			TRY(H_LIT(b, "\" name=\""));
			TRY(rc_web_text(b, fd->name));
			if (fd->accept) {
				TRY(H_LIT(b, "\" accept=\""));
				TRY(rc_web_text(b, fd->accept));
			}
			TRY(fd->required ? H_LIT(b, "\" required>\n") : H_LIT(b, "\">\n"));
		} else if (fd->kind == WF_AREA || fd->kind == WF_LINES) {
			TRY(fd->kind == WF_LINES ? H_LIT(b, "<textarea rows=\"12\" id=\"")
						 : H_LIT(b, "<textarea rows=\"3\" id=\""));
			TRY(rc_web_text(b, id));
			TRY(H_LIT(b, "\" name=\""));
			TRY(rc_web_text(b, fd->name));
			TRY(fd->required ? H_LIT(b, "\" required>") : H_LIT(b, "\">"));
			TRY(rc_web_text(b, v));
			TRY(H_LIT(b, "</textarea>\n"));
		} else {
			TRY(H_LIT(b, "<input id=\""));
			TRY(rc_web_text(b, id));
			TRY(H_LIT(b, "\" name=\""));
			TRY(rc_web_text(b, fd->name));
			TRY(fd->kind == WF_DATE  ? H_LIT(b, "\" type=\"date\" value=\"")
			    : fd->kind == WF_INT ? H_LIT(b, "\" inputmode=\"numeric\" value=\"")
						 : H_LIT(b, "\" value=\""));
			TRY(rc_web_text(b, v));
			TRY(fd->required ? H_LIT(b, "\" required>\n") : H_LIT(b, "\">\n"));
		}
	}
	if (fd->hint) {
		TRY(H_LIT(b, "<p class=\"hint\">"));
		TRY(rc_web_text(b, fd->hint));
		TRY(H_LIT(b, "</p>\n"));
	}
	if (f->err[i]) {
		TRY(H_LIT(b, "<p class=\"field-error\" role=\"alert\">"));
		TRY(rc_web_text(b, f->err[i]));
		TRY(H_LIT(b, "</p>\n"));
	}
	return RC_OK;
}

enum rc_err rc_web_form_html(struct rc_web_req *w, struct rc_buf *b, const struct rc_web_form *f)
{
	enum rc_err e;
	int files = 0;
	for (int i = 0; i < f->n; i++)
		files += f->defs[i].kind == WF_FILE;
	/* a file is sent only as multipart/form-data (RFC 7578); every other
	 * form stays urlencoded, the smaller for short fields */
	TRY(files ? H_LIT(b, "<form class=\"step-form\" method=\"post\" "
			     "enctype=\"multipart/form-data\" id=\"")
		  : H_LIT(b, "<form class=\"step-form\" method=\"post\" id=\""));
	TRY(rc_web_text(b, f->id));
	TRY(H_LIT(b, "\" action=\""));
	TRY(rc_web_text(b, f->action));
	TRY(H_LIT(b, "\">\n<h3>"));
	TRY(rc_web_text(b, f->title));
	TRY(H_LIT(b, "</h3>\n<input type=\"hidden\" name=\"csrf\" value=\""));
	TRY(rc_web_text(b, w->csrf));
	TRY(H_LIT(b, "\">\n"));
	if (f->error) {
		TRY(H_LIT(b, "<p class=\"error\" role=\"alert\">"));
		TRY(rc_web_text(b, f->error));
		TRY(H_LIT(b, "</p>\n"));
	}
	for (int i = 0; i < f->n; i++)
		TRY(field_html(b, f, i));
	TRY(H_LIT(b, "<button type=\"submit\">"));
	TRY(rc_web_text(b, f->submit));
	return H_LIT(b, "</button>\n</form>\n");
}

const char *rc_web_diags_text(struct rc_web_req *w, const struct rc_diags *d)
{
	struct rc_buf b;
	rc_buf_init(&b, 8192);
	for (int i = 0; i < d->count; i++)
		if (d->items[i].sev == RC_SEV_ERROR)
			rc_buf_printf(&b, "%s%s", b.len ? ";" : "", d->items[i].msg);
	const char *s =
	    b.len ? rc_arena_strdup(w->http->arena, rc_buf_str(&b)) : "操作未完成（未说明原因）。";
	rc_buf_free(&b);
	return s ? s : "操作未完成。";
}
