/*
 * facts_json.c -- read a case's facts from JSON (docs/assessment-json.md).
 *
 * Facts come from people filling forms and from other systems, so every
 * problem is reported with its JSON path, what was expected and what was
 * found; nothing is guessed.  A fact absent or null is unknown.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "policy/policy_int.h"

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a decimal number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "a value";
}

static enum rc_err read_date(json_t *v, const char *path, struct rc_diags *d, int32_t *out)
{
	if (!json_is_string(v)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: expected a date \"YYYY-MM-DD\", got %s",
			    path, json_kind(v));
		return RC_ERR_TYPE;
	}
	const char *s = json_string_value(v);
	enum rc_err e = rc_date_parse(s, json_string_length(v), out);
	if (e == RC_ERR_SYNTAX) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s: \"%.40s\" is not a date; write it as \"YYYY-MM-DD\"", path, s);
		return RC_ERR_SYNTAX;
	}
	if (e) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s: \"%.40s\" is an impossible date (year %d-%d, real month and day)",
			    path, s, RC_DATE_MIN_YEAR, RC_DATE_MAX_YEAR);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

static enum rc_err set_one(struct rc_facts *f, int slot, json_t *v, const char *path,
			   struct rc_diags *d)
{
	const struct fact *fa = &f->p->facts[slot];
	char want[600];
	enum rc_err e;
	if (json_is_null(v))
		return rc_facts_set_unknown(f, slot);
	rc_policy_slot_describe(f->p, slot, want, sizeof(want));
	switch (fa->type) {
	case RC_FT_BOOL:
		if (!json_is_boolean(v))
			goto wrong;
		return rc_facts_set_bool(f, slot, json_is_true(v));
	case RC_FT_INT: {
		if (!json_is_integer(v))
			goto wrong;
		json_int_t n = json_integer_value(v);
		if ((e = rc_facts_set_int(f, slot, (int64_t)n)))
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: %lld is out of range; expected %s",
				    path, (long long)n, want);
		return e;
	}
	case RC_FT_DATE: {
		int32_t days;
		if ((e = read_date(v, path, d, &days)))
			return e;
		return rc_facts_set_date(f, slot, days);
	}
	case RC_FT_TEXT:
		if (!json_is_string(v))
			goto wrong;
		e = rc_facts_set_text(f, slot, json_string_value(v), json_string_length(v));
		if (e)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: text is longer than 64 KiB%s", path,
				    e == RC_ERR_NOMEM ? " (out of memory)" : "; shorten it");
		return e;
	case RC_FT_ENUM: {
		if (!json_is_string(v))
			goto wrong;
		const char *s = json_string_value(v);
		for (int i = 0; i < fa->n_values; i++)
			if (strcmp(fa->values[i], s) == 0)
				return rc_facts_set_enum(f, slot, i);
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: \"%.60s\" is not allowed; expected %s",
			    path, s, want);
		return RC_ERR_RANGE;
	}
	}
wrong:
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: expected %s or null, got %s", path, want,
		    json_kind(v));
	return RC_ERR_TYPE;
}

/* Read one section ("facts" or "findings"); every problem is reported, the
 * first one's class is returned. */
static enum rc_err read_section(struct rc_facts *f, json_t *obj, const char *section, int standards,
				unsigned flags, struct rc_diags *d)
{
	const struct rc_policy *p = f->p;
	const char *key;
	json_t *v;
	enum rc_err first = RC_OK, e;
	char path[320];
	if (!json_is_object(obj)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s: expected an object {\"NAME\": value}, got %s", section,
			    json_kind(obj));
		return RC_ERR_TYPE;
	}
	json_object_foreach(obj, key, v)
	{
		snprintf(path, sizeof(path), "%s.%.200s", section, key);
		int slot = rc_policy_slot_find(p, key);
		e = RC_OK;
		if (slot < 0) {
			if (flags & RC_FACTS_IGNORE_UNKNOWN)
				continue;
			const char *s = rc_suggest(p, key);
			if (s)
				rc_diag_add(
				    d, RC_SEV_ERROR, 0, 0,
				    "%s: no %s of that name in policy %s (did you mean '%s'?)",
				    path, standards ? "standard" : "fact", p->version, s);
			else
				rc_diag_add(d, RC_SEV_ERROR, 0, 0,
					    "%s: no %s of that name in policy %s; `rongcuo policy "
					    "facts` lists them",
					    path, standards ? "standard" : "fact", p->version);
			e = RC_ERR_NAME;
		} else if (p->facts[slot].is_standard != standards) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: '%s' is a %s; put it under \"%s\"",
				    path, key, standards ? "fact" : "standard (a graded finding)",
				    standards ? "facts" : "findings");
			e = RC_ERR_NAME;
		} else if (flags & RC_FACTS_LENIENT) {
			/* A value this version's schema rejects (an enum value it
			 * renamed, say) makes the fact unknown here, with a warning
			 * naming the version -- the version applied has read it. */
			struct rc_diags *tmp = malloc(sizeof(*tmp));
			if (!tmp)
				return RC_ERR_NOMEM;
			rc_diags_init(tmp, d->file);
			if (set_one(f, slot, v, path, tmp)) {
				rc_facts_set_unknown(f, slot);
				for (int i = 0; i < tmp->count; i++)
					rc_diag_add(
					    d, RC_SEV_WARNING, tmp->items[i].line,
					    tmp->items[i].col,
					    "%s (policy version %s: treated as unknown there)",
					    tmp->items[i].msg, p->version);
			}
			free(tmp);
		} else {
			e = set_one(f, slot, v, path, d);
		}
		if (e && !first)
			first = e;
	}
	return first;
}

/* Parse the document; report a syntax error or a non-object. */
static enum rc_err load_root(const char *text, size_t len, struct rc_diags *d, json_t **out)
{
	json_error_t jerr;
	*out = NULL;
	if (len > RC_FACTS_MAX_BYTES) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "facts document is larger than %u bytes",
			    RC_FACTS_MAX_BYTES);
		return RC_ERR_LIMIT;
	}
	/* REJECT_DUPLICATES: a fact given twice is a mistake, not "last wins". */
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		rc_diag_add(d, RC_SEV_ERROR, jerr.line > 0 ? jerr.line : 0,
			    jerr.column > 0 ? jerr.column : 0, "invalid JSON: %s", jerr.text);
		return strstr(jerr.text, "depth") ? RC_ERR_LIMIT : RC_ERR_SYNTAX;
	}
	if (!json_is_object(root)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the facts document must be an object {\"facts\": {...}}, got %s",
			    json_kind(root));
		json_decref(root);
		return RC_ERR_TYPE;
	}
	*out = root;
	return RC_OK;
}

static enum rc_err dates_of(json_t *root, struct rc_diags *d, int32_t *conduct, int32_t *decision)
{
	static const char *const keys[] = {"conduct_date", "decision_date"};
	int32_t *outs[] = {conduct, decision};
	enum rc_err first = RC_OK;
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(root, keys[i]);
		*outs[i] = INT32_MIN;
		if (!v || json_is_null(v))
			continue;
		enum rc_err e = read_date(v, keys[i], d, outs[i]);
		if (e && !first)
			first = e;
	}
	return first;
}

enum rc_err rc_facts_read_dates(const char *text, size_t len, struct rc_diags *d, int32_t *conduct,
				int32_t *decision)
{
	json_t *root = NULL;
	*conduct = *decision = INT32_MIN;
	enum rc_err e = load_root(text, len, d, &root);
	if (!e)
		e = dates_of(root, d, conduct, decision);
	json_decref(root);
	return e;
}

enum rc_err rc_facts_read_json(struct rc_facts *f, const char *text, size_t len, unsigned flags,
			       struct rc_diags *d, int32_t *conduct, int32_t *decision)
{
	json_t *root = NULL;
	const char *key;
	json_t *v;
	int32_t c, dd;

	if (conduct)
		*conduct = INT32_MIN;
	if (decision)
		*decision = INT32_MIN;
	enum rc_err e = load_root(text, len, d, &root);
	if (e)
		return e;
	rc_facts_clear(f);
	json_object_foreach(root, key, v)
	{
		enum rc_err ke = RC_OK;
		if (strcmp(key, "facts") == 0) {
			ke = read_section(f, v, "facts", 0, flags, d);
		} else if (strcmp(key, "findings") == 0) {
			ke = read_section(f, v, "findings", 1, flags, d);
		} else if (strcmp(key, "conduct_date") != 0 && strcmp(key, "decision_date") != 0 &&
			   strcmp(key, "comment") != 0) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "unknown key \"%.60s\"; allowed: facts, findings, conduct_date, "
			    "decision_date, comment",
			    key);
			ke = RC_ERR_NAME;
		}
		if (ke && !e)
			e = ke;
	}
	if (!e)
		e = dates_of(root, d, &c, &dd);
	if (!e) {
		if (conduct)
			*conduct = c;
		if (decision)
			*decision = dd;
	}
	if (e)
		rc_facts_clear(f);
	json_decref(root);
	return e;
}
