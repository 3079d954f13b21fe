/*
 * diff.c -- what changed between two versions (`rongcuo policy diff`).
 *
 * Items are matched by name.  Conditions are compared in a canonical
 * printed form, so reformatting a file or reordering its items is not a
 * change, while any change of meaning-bearing text is.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "policy/policy_int.h"

static void print_leaf(struct rc_buf *b, const struct expr *e)
{
	char t[RC_MAX_STRING * 2];
	rc_leaf_text(e, t, sizeof(t));
	rc_buf_puts(b, t);
}

/* Canonical text of a condition.  Recursive: keep its frame small (the
 * leaf's text buffer is in print_leaf). */
static void print_expr(struct rc_buf *b, const struct expr *e, int parent)
{
	/* precedence: or 1, and 2, not 3, atoms 4 */
	int prec = e->k == E_OR ? 1 : e->k == E_AND ? 2 : e->k == E_NOT ? 3 : 4;
	if (prec < parent)
		rc_buf_puts(b, "(");
	if (e->k == E_AND || e->k == E_OR) {
		print_expr(b, e->a, prec);
		rc_buf_puts(b, e->k == E_AND ? " and " : " or ");
		print_expr(b, e->b, prec + 1);
	} else if (e->k == E_NOT) {
		rc_buf_puts(b, "not ");
		print_expr(b, e->a, prec);
	} else {
		print_leaf(b, e);
	}
	if (prec < parent)
		rc_buf_puts(b, ")");
}

struct differ {
	FILE *out;
	int changes;
};

static void change(struct differ *df, const char *kind, const char *name, const char *what,
		   const char *from, const char *to)
{
	if (!from)
		from = "(none)";
	if (!to)
		to = "(none)";
	if (strcmp(from, to) == 0)
		return;
	fprintf(df->out, "~ %s %s: %s: %s -> %s\n", kind, name, what, from, to);
	df->changes++;
}

static void change_expr(struct differ *df, const char *kind, const char *name, const struct expr *a,
			const struct expr *b)
{
	struct rc_buf x, y;
	rc_buf_init(&x, 1 << 20);
	rc_buf_init(&y, 1 << 20);
	if (a)
		print_expr(&x, a, 0);
	if (b)
		print_expr(&y, b, 0);
	change(df, kind, name, "when", rc_buf_str(&x), rc_buf_str(&y));
	rc_buf_free(&x);
	rc_buf_free(&y);
}

static void change_prov(struct differ *df, const char *kind, const char *name, const struct prov *a,
			const struct prov *b)
{
	change(df, kind, name, "status", rc_status_name(a->status), rc_status_name(b->status));
	change(df, kind, name, "source", a->source, b->source);
	change(df, kind, name, "article", a->article, b->article);
}

static void dur_text(const struct dur *d, char *buf, size_t len)
{
	static const char *const units[] = {"days", "workdays", "months", "years"};
	if (!d->set)
		snprintf(buf, len, "(none)");
	else if (d->none)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%d %s", d->n, units[d->unit]);
}

static void date_text(int32_t d, char *buf)
{
	if (d == INT32_MAX)
		snprintf(buf, 16, "(open)");
	else
		rc_date_format(d, buf);
}

/* A list of names as "a, b, c" (or `all`). */
static void names_text(const char *const *names, int n, int all, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	if (all) {
		snprintf(buf, len, "all");
		return;
	}
	for (int i = 0; i < n && off + 1 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", names[i]);
}

int rc_policy_diff(const struct rc_policy *a, const struct rc_policy *b, FILE *out)
{
	struct differ df = {out, 0};
	/* large enough for any enum's value list (64 values of 128 bytes) */
	enum { TEXT = 9000 };
	char *x = malloc(TEXT), *y = malloc(TEXT);
	if (!x || !y) {
		free(x);
		free(y);
		fprintf(out, "out of memory\n");
		return -1;
	}

	change(&df, "policy", a->series, "series", a->series, b->series);
	change(&df, "policy", a->series, "version", a->version, b->version);
	rc_date_format(a->effective, x);
	rc_date_format(b->effective, y);
	change(&df, "policy", a->series, "effective", x, y);
	date_text(a->until, x);
	date_text(b->until, y);
	change(&df, "policy", a->series, "until", x, y);
	change(&df, "policy", a->series, "title", a->title, b->title);
	change(&df, "policy", a->series, "jurisdiction", a->jurisdiction, b->jurisdiction);
	change_prov(&df, "procedure", "procedure", &a->proc_prov, &b->proc_prov);
	change_prov(&df, "policy", a->series, &a->prov, &b->prov);

	/* facts and standards */
	for (int i = 0; i < a->n_slots; i++) {
		int j = rc_policy_slot_find(b, a->facts[i].name);
		if (j < 0) {
			fprintf(out, "- %s %s\n", a->facts[i].is_standard ? "standard" : "fact",
				a->facts[i].name);
			df.changes++;
			continue;
		}
		change(&df, "fact", a->facts[i].name, "label", a->facts[i].label,
		       b->facts[j].label);
		rc_policy_slot_describe(a, i, x, TEXT);
		rc_policy_slot_describe(b, j, y, TEXT);
		change(&df, "fact", a->facts[i].name, "type", x, y);
		const struct fact *fa = &a->facts[i], *fb = &b->facts[j];
		change(&df, "fact", fa->name, "help", fa->help, fb->help);
		change(&df, "fact", fa->name, "group", fa->group, fb->group);
		change(&df, "fact", fa->name, "unit", fa->unit, fb->unit);
		change(&df, "fact", fa->name, "record", fa->record ? "true" : "false",
		       fb->record ? "true" : "false");
		change_prov(&df, "fact", fa->name, &fa->prov, &fb->prov);
	}
	for (int j = 0; j < b->n_slots; j++)
		if (rc_policy_slot_find(a, b->facts[j].name) < 0) {
			fprintf(out, "+ %s %s\n", b->facts[j].is_standard ? "standard" : "fact",
				b->facts[j].name);
			df.changes++;
		}

	for (int k = RC_K_CATEGORY; k <= RC_K_PRINCIPLE; k++) {
		const char *kind = rc_kind_name((enum rc_kind)k);
		for (int i = 0; i < a->n_items[k]; i++) {
			const struct item *ia = &a->items[k][i];
			int j = rc_policy_find(b, (enum rc_kind)k, ia->name);
			if (j < 0) {
				fprintf(out, "- %s %s「%s」\n", kind, ia->name, ia->title);
				df.changes++;
				continue;
			}
			const struct item *ib = &b->items[k][j];
			change(&df, kind, ia->name, "title", ia->title, ib->title);
			change_expr(&df, kind, ia->name, ia->when, ib->when);
			if (k == RC_K_EXCLUSION) {
				change(&df, kind, ia->name, "enabled",
				       ia->enabled ? "true" : "false",
				       ib->enabled ? "true" : "false");
				names_text(ia->block_names, ia->n_blocks, ia->blocks_all, x, TEXT);
				names_text(ib->block_names, ib->n_blocks, ib->blocks_all, y, TEXT);
				change(&df, kind, ia->name, "blocks", x, y);
			}
			if (k == RC_K_SITUATION)
				change(&df, kind, ia->name, "category", ia->cat_name, ib->cat_name);
			change_prov(&df, kind, ia->name, &ia->prov, &ib->prov);
		}
		for (int j = 0; j < b->n_items[k]; j++)
			if (rc_policy_find(a, (enum rc_kind)k, b->items[k][j].name) < 0) {
				fprintf(out, "+ %s %s「%s」\n", kind, b->items[k][j].name,
					b->items[k][j].title);
				df.changes++;
			}
	}

	for (int i = 0; i < a->n_outcomes; i++) {
		int j = rc_policy_find(b, RC_K_OUTCOME, a->outcomes[i].name);
		if (j < 0) {
			fprintf(out, "- outcome %s\n", a->outcomes[i].name);
			df.changes++;
			continue;
		}
		snprintf(x, TEXT, "%d", a->outcomes[i].leniency);
		snprintf(y, TEXT, "%d", b->outcomes[j].leniency);
		change(&df, "outcome", a->outcomes[i].name, "leniency", x, y);
		change_prov(&df, "outcome", a->outcomes[i].name, &a->outcomes[i].prov,
			    &b->outcomes[j].prov);
		change(&df, "outcome", a->outcomes[i].name, "title", a->outcomes[i].title,
		       b->outcomes[j].title);
		change(&df, "outcome", a->outcomes[i].name, "meaning", a->outcomes[i].meaning,
		       b->outcomes[j].meaning);
		change(&df, "outcome", a->outcomes[i].name, "restricts",
		       a->outcomes[i].restricts ? "true" : "false",
		       b->outcomes[j].restricts ? "true" : "false");
	}
	for (int j = 0; j < b->n_outcomes; j++)
		if (rc_policy_find(a, RC_K_OUTCOME, b->outcomes[j].name) < 0) {
			fprintf(out, "+ outcome %s\n", b->outcomes[j].name);
			df.changes++;
		}

	for (int i = 0; i < a->n_rules; i++) {
		const struct rule *ra = &a->rules[i];
		int j = rc_policy_find(b, RC_K_RULE, ra->name);
		if (j < 0) {
			fprintf(out, "- rule %s\n", ra->name);
			df.changes++;
			continue;
		}
		const struct rule *rb = &b->rules[j];
		snprintf(x, TEXT, "%d", ra->priority);
		snprintf(y, TEXT, "%d", rb->priority);
		change(&df, "rule", ra->name, "priority", x, y);
		change_expr(&df, "rule", ra->name, ra->when, rb->when);
		rc_band_text(a, ra->band, 0, " | ", "", x, TEXT);
		rc_band_text(b, rb->band, 0, " | ", "", y, TEXT);
		change(&df, "rule", ra->name, "recommend", x, y);
		change_prov(&df, "rule", ra->name, &ra->prov, &rb->prov);
	}
	for (int j = 0; j < b->n_rules; j++)
		if (rc_policy_find(a, RC_K_RULE, b->rules[j].name) < 0) {
			fprintf(out, "+ rule %s\n", b->rules[j].name);
			df.changes++;
		}

	for (int i = 0; i < a->n_steps; i++) {
		int j = rc_policy_find(b, RC_K_STEP, a->steps[i].name);
		if (j < 0) {
			fprintf(out, "- step %s\n", a->steps[i].name);
			df.changes++;
			continue;
		}
		dur_text(&a->steps[i].deadline, x, TEXT);
		dur_text(&b->steps[j].deadline, y, TEXT);
		change(&df, "step", a->steps[i].name, "deadline", x, y);
		const struct step *sa = &a->steps[i], *sb = &b->steps[j];
		change(&df, "step", sa->name, "title", sa->title, sb->title);
		names_text(sa->actors, sa->n_actors, 0, x, TEXT);
		names_text(sb->actors, sb->n_actors, 0, y, TEXT);
		change(&df, "step", sa->name, "actor", x, y);
		names_text(sa->next_names, sa->n_next, 0, x, TEXT);
		names_text(sb->next_names, sb->n_next, 0, y, TEXT);
		change(&df, "step", sa->name, "next", x, y);
		change(&df, "step", sa->name, "four_eyes", sa->four_eyes ? "true" : "false",
		       sb->four_eyes ? "true" : "false");
		change_prov(&df, "step", sa->name, &sa->prov, &sb->prov);
	}
	for (int j = 0; j < b->n_steps; j++)
		if (rc_policy_find(a, RC_K_STEP, b->steps[j].name) < 0) {
			fprintf(out, "+ step %s\n", b->steps[j].name);
			df.changes++;
		}
	for (int i = 0; i < a->n_params; i++) {
		int j = rc_policy_find(b, RC_K_PARAMETER, a->params[i].name);
		if (j < 0) {
			fprintf(out, "- parameter %s\n", a->params[i].name);
			df.changes++;
			continue;
		}
		dur_text(&a->params[i].d, x, TEXT);
		dur_text(&b->params[j].d, y, TEXT);
		change(&df, "parameter", a->params[i].name, "value", x, y);
		change_prov(&df, "parameter", a->params[i].name, &a->params[i].prov,
			    &b->params[j].prov);
	}
	for (int j = 0; j < b->n_params; j++)
		if (rc_policy_find(a, RC_K_PARAMETER, b->params[j].name) < 0) {
			fprintf(out, "+ parameter %s\n", b->params[j].name);
			df.changes++;
		}
	for (int i = 0; i < a->n_impacts; i++) {
		const struct impact *ia = &a->impacts[i];
		int j = rc_policy_find(b, RC_K_IMPACT, ia->name);
		if (j < 0) {
			fprintf(out, "- impact %s\n", ia->name);
			df.changes++;
			continue;
		}
		const struct impact *ib = &b->impacts[j];
		change(&df, "impact", ia->name, "title", ia->title, ib->title);
		change(&df, "impact", ia->name, "counted_from", ia->counted_from, ib->counted_from);
		change_prov(&df, "impact", ia->name, &ia->prov, &ib->prov);
		for (int s = 0; s < ia->n_sanctions; s++) {
			const struct sanction *sa = &ia->sanctions[s], *sb = NULL;
			for (int t = 0; t < ib->n_sanctions; t++)
				if (strcmp(ib->sanctions[t].name, sa->name) == 0)
					sb = &ib->sanctions[t];
			char nm[300];
			snprintf(nm, sizeof(nm), "%s/%s", ia->name, sa->name);
			if (!sb) {
				fprintf(out, "- sanction %s\n", nm);
				df.changes++;
				continue;
			}
			dur_text(&sa->period, x, TEXT);
			dur_text(&sb->period, y, TEXT);
			change(&df, "sanction", nm, "period", x, y);
			dur_text(&sa->period_max, x, TEXT);
			dur_text(&sb->period_max, y, TEXT);
			change(&df, "sanction", nm, "period_max", x, y);
			dur_text(&sa->extra, x, TEXT);
			dur_text(&sb->extra, y, TEXT);
			change(&df, "sanction", nm, "extra", x, y);
			change(&df, "sanction", nm, "article", sa->article, sb->article);
			change(&df, "sanction", nm, "note", sa->note, sb->note);
		}
		for (int t = 0; t < ib->n_sanctions; t++) {
			int found = 0;
			for (int s = 0; s < ia->n_sanctions && !found; s++)
				found = strcmp(ia->sanctions[s].name, ib->sanctions[t].name) == 0;
			if (!found) {
				fprintf(out, "+ sanction %s/%s\n", ib->name, ib->sanctions[t].name);
				df.changes++;
			}
		}
	}
	for (int j = 0; j < b->n_impacts; j++)
		if (rc_policy_find(a, RC_K_IMPACT, b->impacts[j].name) < 0) {
			fprintf(out, "+ impact %s\n", b->impacts[j].name);
			df.changes++;
		}
	if (df.changes == 0)
		fprintf(out,
			"no differences in rules, facts, outcomes, procedure or impact tables\n");
	else
		fprintf(out, "%d difference%s\n", df.changes, df.changes == 1 ? "" : "s");
	free(x);
	free(y);
	return df.changes;
}
