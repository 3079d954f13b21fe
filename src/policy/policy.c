/*
 * policy.c -- the public entry points: compile, load, metadata, fact sets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "policy/policy_int.h"

static void digest(struct rc_policy *p, const char *text, size_t len)
{
	/* FNV-1a 64: identifies the exact text a recommendation was made
	 * under.  Not a security hash; the audit module signs with SM3. */
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211ull;
	}
	snprintf(p->digest, sizeof(p->digest), "%016llx", (unsigned long long)h);
}

enum rc_err rc_policy_compile(const char *text, size_t len, const char *name,
			      struct rc_diags *diags, struct rc_policy **out)
{
	enum rc_err e;
	struct token *toks = NULL;
	int n = 0;
	struct rc_policy *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return RC_ERR_NOMEM;
	/* A policy of RC_POLICY_MAX_BYTES compiles in well under 64 MiB. */
	rc_arena_init(&p->arena, (size_t)256 << 20);
	p->file = rc_arena_strdup(&p->arena, name ? name : "<policy>");
	p->effective = INT32_MIN;
	p->until = INT32_MAX;
	if (!p->file) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	int structural = 0;
	e = rc_lex(&p->arena, text, len, diags, &toks, &n, &structural);
	if (e && (!toks || structural))
		goto out;
	{
		/* Parse even after lexical errors: the token stream is still
		 * usable and the administrator gets every problem at once. */
		enum rc_err pe = rc_parse(p, toks, n, diags);
		if (!e)
			e = pe;
	}
	if (e)
		goto out;
	e = rc_compile(p, diags);
	if (e == RC_ERR_NOMEM)
		rc_diag_add(diags, RC_SEV_ERROR, 0, 0, "out of memory while compiling the policy");
	if (e)
		goto out;
	digest(p, text, len);
	*out = p;
	p = NULL;
out:
	rc_policy_free(p);
	return e;
}

enum rc_err rc_policy_load(const char *path, struct rc_diags *diags, struct rc_policy **out)
{
	struct rc_buf b;
	rc_buf_init(&b, RC_POLICY_MAX_BYTES);
	*out = NULL;
	enum rc_err e = rc_buf_read_file(&b, path);
	if (e == RC_ERR_IO)
		rc_diag_add(diags, RC_SEV_ERROR, 0, 0, "cannot read the file: %s", strerror(errno));
	else if (e == RC_ERR_LIMIT) {
		/* too large to read is "not read" (RC_ERR_IO), unlike a policy
		 * read whole that exceeds a limit of the language */
		rc_diag_add(diags, RC_SEV_ERROR, 0, 0, "file is larger than %u bytes",
			    RC_POLICY_MAX_BYTES);
		e = RC_ERR_IO;
	}
	if (!e)
		e = rc_policy_compile(rc_buf_str(&b), b.len, path, diags, out);
	rc_buf_free(&b);
	return e;
}

void rc_policy_free(struct rc_policy *p)
{
	if (!p)
		return;
	rc_arena_free(&p->arena);
	free(p);
}

const char *rc_policy_series(const struct rc_policy *p)
{
	return p->series;
}
const char *rc_policy_version(const struct rc_policy *p)
{
	return p->version;
}
const char *rc_policy_title(const struct rc_policy *p)
{
	return p->title;
}
const char *rc_policy_digest(const struct rc_policy *p)
{
	return p->digest;
}
int32_t rc_policy_effective(const struct rc_policy *p)
{
	return p->effective;
}
int32_t rc_policy_until(const struct rc_policy *p)
{
	return p->until;
}

const char *rc_policy_jurisdiction(const struct rc_policy *p)
{
	return p->jurisdiction ? p->jurisdiction : "";
}

int rc_policy_count(const struct rc_policy *p, enum rc_kind k)
{
	switch (k) {
	case RC_K_FACT: return p->n_facts;
	case RC_K_STANDARD: return p->n_slots - p->n_facts;
	case RC_K_OUTCOME: return p->n_outcomes;
	case RC_K_RULE: return p->n_rules;
	case RC_K_IMPACT: return p->n_impacts;
	case RC_K_STEP: return p->n_steps;
	case RC_K_PARAMETER: return p->n_params;
	case RC_K__COUNT: return 0;
	default: return p->n_items[k];
	}
}

const char *rc_policy_item_name(const struct rc_policy *p, enum rc_kind k, int i)
{
	if (i < 0 || i >= rc_policy_count(p, k))
		return NULL;
	switch (k) {
	case RC_K_FACT: return p->facts[i].name;
	case RC_K_STANDARD: return p->facts[p->n_facts + i].name;
	case RC_K_OUTCOME: return p->outcomes[i].name;
	case RC_K_RULE: return p->rules[i].name;
	case RC_K_IMPACT: return p->impacts[i].name;
	case RC_K_STEP: return p->steps[i].name;
	case RC_K_PARAMETER: return p->params[i].name;
	default: return p->items[k][i].name;
	}
}

const char *rc_policy_item_title(const struct rc_policy *p, enum rc_kind k, int i)
{
	if (i < 0 || i >= rc_policy_count(p, k))
		return NULL;
	const char *t;
	switch (k) {
	case RC_K_FACT: t = p->facts[i].label; break;
	case RC_K_STANDARD: t = p->facts[p->n_facts + i].label; break;
	case RC_K_OUTCOME: t = p->outcomes[i].title; break;
	case RC_K_RULE: t = p->rules[i].title; break;
	case RC_K_IMPACT: t = p->impacts[i].title; break;
	case RC_K_STEP: t = p->steps[i].title; break;
	case RC_K_PARAMETER: t = NULL; break;
	default: t = p->items[k][i].title; break;
	}
	return t ? t : rc_policy_item_name(p, k, i);
}

int rc_policy_find(const struct rc_policy *p, enum rc_kind k, const char *name)
{
	enum rc_kind fk;
	int i;
	if (!rc_lookup(p, name, &fk, &i) || fk != k)
		return -1;
	return k == RC_K_STANDARD ? i - p->n_facts : i;
}

int rc_policy_slot_count(const struct rc_policy *p)
{
	return p->n_slots;
}

int rc_policy_slot_find(const struct rc_policy *p, const char *name)
{
	for (int i = 0; i < p->n_slots; i++)
		if (strcmp(p->facts[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- fact sets ------------------------------------------------------ */

enum rc_err rc_facts_new(const struct rc_policy *p, struct rc_facts **out)
{
	*out = NULL;
	struct rc_facts *f = calloc(1, sizeof(*f));
	if (!f)
		return RC_ERR_NOMEM;
	f->p = p;
	f->val = calloc((size_t)p->n_slots + 1, sizeof(int64_t));
	f->known = calloc((size_t)p->n_slots + 1, 1);
	f->text = calloc((size_t)p->n_slots + 1, sizeof(char *));
	if (!f->val || !f->known || !f->text) {
		rc_facts_free(f);
		return RC_ERR_NOMEM;
	}
	*out = f;
	return RC_OK;
}

void rc_facts_free(struct rc_facts *f)
{
	if (!f)
		return;
	if (f->text)
		for (int i = 0; i < f->p->n_slots; i++)
			free(f->text[i]);
	free(f->val);
	free(f->known);
	free(f->text);
	free(f);
}

void rc_facts_clear(struct rc_facts *f)
{
	size_t n = (size_t)f->p->n_slots;
	memset(f->val, 0, n * sizeof(int64_t));
	memset(f->known, 0, n);
	for (size_t i = 0; i < n; i++) {
		free(f->text[i]);
		f->text[i] = NULL;
	}
}

static const struct fact *slot(const struct rc_facts *f, int i)
{
	return i >= 0 && i < f->p->n_slots ? &f->p->facts[i] : NULL;
}

enum rc_err rc_facts_set_bool(struct rc_facts *f, int i, int v)
{
	const struct fact *fa = slot(f, i);
	if (!fa || fa->type != RC_FT_BOOL)
		return RC_ERR_TYPE;
	f->val[i] = v != 0;
	f->known[i] = 1;
	return RC_OK;
}

enum rc_err rc_facts_set_int(struct rc_facts *f, int i, int64_t v)
{
	const struct fact *fa = slot(f, i);
	if (!fa || fa->type != RC_FT_INT)
		return RC_ERR_TYPE;
	if ((fa->has_min && v < fa->min) || (fa->has_max && v > fa->max))
		return RC_ERR_RANGE;
	f->val[i] = v;
	f->known[i] = 1;
	return RC_OK;
}

enum rc_err rc_facts_set_date(struct rc_facts *f, int i, int32_t days)
{
	const struct fact *fa = slot(f, i);
	if (!fa || fa->type != RC_FT_DATE)
		return RC_ERR_TYPE;
	f->val[i] = days;
	f->known[i] = 1;
	return RC_OK;
}

enum rc_err rc_facts_set_enum(struct rc_facts *f, int i, int v)
{
	const struct fact *fa = slot(f, i);
	if (!fa || fa->type != RC_FT_ENUM)
		return RC_ERR_TYPE;
	if (v < 0 || v >= fa->n_values)
		return RC_ERR_RANGE;
	if (v == fa->unknown_grade) /* 未查明 is an unknown finding */
		return rc_facts_set_unknown(f, i);
	f->val[i] = v;
	f->known[i] = 1;
	return RC_OK;
}

enum rc_err rc_facts_set_unknown(struct rc_facts *f, int i)
{
	if (!slot(f, i))
		return RC_ERR_RANGE;
	f->val[i] = 0;
	f->known[i] = 0;
	free(f->text[i]);
	f->text[i] = NULL;
	return RC_OK;
}

#define RC_TEXT_MAX (64u << 10)

enum rc_err rc_facts_set_text(struct rc_facts *f, int i, const char *s, size_t len)
{
	const struct fact *fa = slot(f, i);
	if (!fa || fa->type != RC_FT_TEXT)
		return RC_ERR_TYPE;
	if (len > RC_TEXT_MAX || !rc_utf8_valid(s, len, NULL))
		return RC_ERR_RANGE;
	/* Each text is its own allocation, freed when replaced or cleared,
	 * so a fact set reused for many cases does not accumulate them. */
	char *c = malloc(len + 1);
	if (!c)
		return RC_ERR_NOMEM;
	memcpy(c, s, len);
	c[len] = '\0';
	free(f->text[i]);
	f->text[i] = c;
	f->val[i] = 0;
	f->known[i] = 1;
	return RC_OK;
}

int rc_facts_known(const struct rc_facts *f, int i)
{
	return slot(f, i) ? f->known[i] : 0;
}

int64_t rc_facts_value(const struct rc_facts *f, int i)
{
	return slot(f, i) && f->known[i] ? f->val[i] : 0;
}

const char *rc_facts_text(const struct rc_facts *f, int i)
{
	return slot(f, i) ? f->text[i] : NULL;
}

void rc_policy_slot_describe(const struct rc_policy *p, int i, char *buf, size_t len)
{
	const struct fact *fa = i >= 0 && i < p->n_slots ? &p->facts[i] : NULL;
	if (!fa) {
		snprintf(buf, len, "?");
		return;
	}
	size_t off = 0;
	switch (fa->type) {
	case RC_FT_BOOL: snprintf(buf, len, "bool (true/false)"); return;
	case RC_FT_DATE: snprintf(buf, len, "date (\"YYYY-MM-DD\")"); return;
	case RC_FT_TEXT: snprintf(buf, len, "text (a string)"); return;
	case RC_FT_INT:
		off = (size_t)snprintf(buf, len, "int");
		if (off < len && fa->unit)
			off += (size_t)snprintf(buf + off, len - off, " in %s", fa->unit);
		if (off < len && (fa->has_min || fa->has_max)) {
			off += (size_t)snprintf(buf + off, len - off, ", ");
			if (off < len && fa->has_min)
				off += (size_t)snprintf(buf + off, len - off, "%lld",
							(long long)fa->min);
			if (off < len)
				off += (size_t)snprintf(buf + off, len - off, "..");
			if (off < len && fa->has_max)
				snprintf(buf + off, len - off, "%lld", (long long)fa->max);
		}
		return;
	case RC_FT_ENUM:
		off = (size_t)snprintf(buf, len, "one of ");
		for (int v = 0; v < fa->n_values && off < len; v++)
			off += (size_t)snprintf(buf + off, len - off, "%s\"%s\"", v ? ", " : "",
						fa->values[v]);
		return;
	}
}

enum rc_err rc_policy_step(const struct rc_policy *p, int i, struct rc_step_info *out)
{
	if (i < 0 || i >= p->n_steps)
		return RC_ERR_RANGE;
	const struct step *s = &p->steps[i];
	memset(out, 0, sizeof(*out));
	out->name = s->name;
	out->title = s->title ? s->title : s->name;
	out->actors = s->actors;
	out->n_actors = s->n_actors;
	out->next = s->next;
	out->n_next = s->n_next;
	out->four_eyes = s->four_eyes;
	if (s->deadline.set && !s->deadline.none) {
		static const enum rc_dur_unit units[] = {RC_DUR_DAYS, RC_DUR_WORKDAYS,
							 RC_DUR_MONTHS, RC_DUR_YEARS};
		out->deadline_unit = units[s->deadline.unit];
		out->deadline_n = s->deadline.n;
	}
	return RC_OK;
}

enum rc_fact_type rc_policy_slot_type(const struct rc_policy *p, int i)
{
	return i >= 0 && i < p->n_slots ? p->facts[i].type : RC_FT_TEXT;
}

int rc_policy_slot_is_standard(const struct rc_policy *p, int i)
{
	return i >= 0 && i < p->n_slots && p->facts[i].is_standard;
}

static void dur_info(const struct dur *d, enum rc_dur_unit *unit, int *n)
{
	static const enum rc_dur_unit units[] = {RC_DUR_DAYS, RC_DUR_WORKDAYS, RC_DUR_MONTHS,
						 RC_DUR_YEARS};
	*unit = RC_DUR_NONE;
	*n = 0;
	if (d->set && !d->none) {
		*unit = units[d->unit];
		*n = d->n;
	}
}

enum rc_err rc_policy_sanction(const struct rc_policy *p, const char *table, const char *name,
			       struct rc_sanction_info *out)
{
	for (int i = 0; i < p->n_impacts; i++) {
		const struct impact *im = &p->impacts[i];
		if (strcmp(im->name, table) != 0)
			continue;
		for (int j = 0; j < im->n_sanctions; j++) {
			const struct sanction *s = &im->sanctions[j];
			if (strcmp(s->name, name) != 0)
				continue;
			memset(out, 0, sizeof(*out));
			out->table = im->name;
			out->table_title = im->title;
			out->counted_from = im->counted_from;
			out->name = s->name;
			out->article = s->article;
			out->note = s->note;
			dur_info(&s->period, &out->unit, &out->n);
			dur_info(&s->period_max, &out->max_unit, &out->max_n);
			dur_info(&s->extra, &out->extra_unit, &out->extra_n);
			return RC_OK;
		}
	}
	return RC_ERR_NAME;
}

enum rc_err rc_policy_param(const struct rc_policy *p, const char *name, enum rc_dur_unit *unit,
			    int *n)
{
	for (int i = 0; i < p->n_params; i++) {
		if (strcmp(p->params[i].name, name) == 0) {
			dur_info(&p->params[i].d, unit, n);
			return RC_OK;
		}
	}
	return RC_ERR_NAME;
}
