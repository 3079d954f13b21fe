/*
 * explain.c -- an assessment as Chinese prose for people and as the stable
 * JSON document of docs/assessment-json.md for programs.
 *
 * Every statement cites its item's article and status, so a reader can tell
 * the jurisdiction's own text (SEED, CONFIRMED) from a placeholder (TYPICAL,
 * UNKNOWN) -- a placeholder is never presented as law.  The "why not"
 * reasons come from the evaluation registers: each expression node kept its
 * own value, so the walk below reads what happened and evaluates nothing.
 */
#include <jansson.h>
#include <string.h>

#include "core/date.h"
#include "policy/assess_int.h"

#define MAX_REASONS 64

struct reason {
	const struct expr *leaf;
	enum rc_truth want;
	enum rc_truth got;
};

/* A node's value; a leaf whose NOT was folded into it holds its negation. */
static enum rc_truth node_value(const uint8_t *regs, const struct expr *e)
{
	unsigned v = regs[e->reg];
	if (e->neg)
		v = ((v & 1u) << 1) | ((v >> 1) & 1u);
	return (enum rc_truth)v;
}

/* Collect the leaves that keep `e` from having the value `want`. */
static int why(const uint8_t *regs, const struct expr *e, enum rc_truth want, struct reason *out,
	       int n)
{
	enum rc_truth v = node_value(regs, e);
	if (v == want || n >= MAX_REASONS)
		return n;
	switch (e->k) {
	case E_AND:
	case E_OR:
		/* and->true / or->false: every operand must give it;
		 * and->false / or->true: say why none did. */
		n = why(regs, e->a, want, out, n);
		return why(regs, e->b, want, out, n);
	case E_NOT: return why(regs, e->a, want == RC_TRUE ? RC_FALSE : RC_TRUE, out, n);
	default:
		out[n].leaf = e;
		out[n].want = want;
		out[n].got = v;
		return n + 1;
	}
}

static const char *op_text(enum cmp_op op)
{
	static const char *const t[] = {"==", "!=", "<", "<=", ">", ">="};
	return t[op];
}

static void lit_text(const struct lit *l, char *buf, size_t len)
{
	switch (l->k) {
	case L_BOOL: snprintf(buf, len, "%s", l->i ? "true" : "false"); break;
	case L_INT: snprintf(buf, len, "%lld", (long long)l->i); break;
	case L_DATE: rc_date_format((int32_t)l->i, buf); break;
	case L_IDENT: snprintf(buf, len, "%s", l->s); break;
	case L_STRING: snprintf(buf, len, "\"%s\"", l->s); break;
	case L_UNKNOWN: snprintf(buf, len, "unknown"); break;
	}
}

/* The leaf as policy-language text, e.g. "损失金额 >= 100" (policy_int.h).
 * Not recursive, so the value buffer is on the stack once. */
void rc_leaf_text(const struct expr *e, char *buf, size_t len)
{
	char v[RC_MAX_STRING + 8];
	switch (e->k) {
	case E_TRUE: snprintf(buf, len, "true"); break;
	case E_FALSE: snprintf(buf, len, "false"); break;
	case E_TOLERABLE: snprintf(buf, len, "tolerable"); break;
	case E_EXCLUDED: snprintf(buf, len, "excluded"); break;
	case E_KNOWN: snprintf(buf, len, "known(%s)", e->name); break;
	case E_REF: snprintf(buf, len, "%s", e->name); break;
	case E_CMP:
		lit_text(&e->v, v, sizeof(v));
		snprintf(buf, len, "%s %s %s", e->name, op_text(e->op), v);
		break;
	case E_IN: {
		size_t off = (size_t)snprintf(buf, len, "%s in (", e->name);
		for (int i = 0; i < e->n_set && off < len; i++) {
			lit_text(&e->set[i], v, sizeof(v));
			off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", v);
		}
		if (off < len)
			snprintf(buf + off, len - off, ")");
		break;
	}
	default: snprintf(buf, len, "?");
	}
}

static int leaf_is_fact(const struct expr *e)
{
	return (e->k == E_REF || e->k == E_CMP || e->k == E_IN || e->k == E_KNOWN) &&
	       (e->rk == RC_K_FACT || e->rk == RC_K_STANDARD);
}

/* A fact's current value for people: 是/否, 30 万元, 2023-09-01, 未知. */
static void value_text(const struct rc_facts *f, int slot, char *buf, size_t len)
{
	const struct fact *fa = &f->p->facts[slot];
	if (!f->known[slot]) {
		snprintf(buf, len, "未知");
		return;
	}
	int64_t v = f->val[slot];
	switch (fa->type) {
	case RC_FT_BOOL: snprintf(buf, len, "%s", v ? "是" : "否"); break;
	case RC_FT_INT:
		snprintf(buf, len, "%lld%s%s", (long long)v, fa->unit ? " " : "",
			 fa->unit ? fa->unit : "");
		break;
	case RC_FT_DATE: rc_date_format((int32_t)v, buf); break;
	case RC_FT_ENUM: snprintf(buf, len, "%s", fa->values[v]); break;
	case RC_FT_TEXT: snprintf(buf, len, "(已填写)"); break;
	}
}

static const char *truth_zh(enum rc_truth t)
{
	return t == RC_TRUE ? "是" : t == RC_FALSE ? "否" : "待定";
}

static const char *truth_en(enum rc_truth t)
{
	return t == RC_TRUE ? "true" : t == RC_FALSE ? "false" : "unknown";
}

static const char *status_zh(enum rc_status s)
{
	switch (s) {
	case RC_STATUS_SEED: return "SEED 原文";
	case RC_STATUS_CONFIRMED: return "CONFIRMED 已证实";
	case RC_STATUS_TYPICAL: return "TYPICAL 他地通行做法,非本地官方文本";
	case RC_STATUS_UNKNOWN: return "UNKNOWN 官方文本未公开,占位";
	default: return "未标注来源状态";
	}
}

static void cite(FILE *out, const struct prov *pv)
{
	fprintf(out, "(");
	if (pv->article)
		fprintf(out, "%s;", pv->article);
	fprintf(out, "%s)", status_zh(pv->status));
}

static void print_reasons(FILE *out, const struct rc_facts *f, const struct reason *rs, int n,
			  const char *indent)
{
	char t[1024], v[256];
	for (int i = 0; i < n; i++) {
		const struct expr *e = rs[i].leaf;
		rc_leaf_text(e, t, sizeof(t));
		if (leaf_is_fact(e)) {
			const struct fact *fa = &f->p->facts[e->ri];
			value_text(f, e->ri, v, sizeof(v));
			fprintf(out, "%s· 需要「%s」为%s,当前%s(%s:%s)\n", indent, t,
				truth_zh(rs[i].want),
				rs[i].got == RC_UNKNOWN ? "未知" : truth_zh(rs[i].got), fa->label,
				v);
		} else {
			fprintf(out, "%s· 需要「%s」为%s,当前%s\n", indent, t, truth_zh(rs[i].want),
				truth_zh(rs[i].got));
		}
	}
}

static const char *item_mark(enum rc_truth t)
{
	return t == RC_TRUE ? "[符合]  " : t == RC_FALSE ? "[不符合]" : "[待查明]";
}

static void date_or(int32_t d, char *buf, const char *none)
{
	if (d == INT32_MIN)
		snprintf(buf, RC_DATE_STRLEN + 16, "%s", none);
	else
		rc_date_format(d, buf);
}

enum rc_err rc_assessment_write_text(const struct rc_assessment *a, const char *why_not, FILE *out)
{
	const struct assess_run *run = &a->run[a->applied];
	const struct rc_policy *p = run->p;
	const struct rc_result *r = run->result;
	const struct rc_facts *f = run->facts;
	struct reason rs[MAX_REASONS];
	char d1[32], d2[32], buf[2048];
	int ns = p->n_items[RC_K_SITUATION], ne = p->n_items[RC_K_EXCLUSION];

	fprintf(out, "容错纠错认定建议\n");
	fprintf(out, "政策:%s\n", p->title);
	rc_date_format(p->effective, d1);
	fprintf(out, "版本:%s(%s 起施行)  摘要 %s\n", p->version, d1, p->digest);
	date_or(a->conduct, d1, "未提供");
	date_or(a->decision, d2, "未提供");
	fprintf(out, "失误错误发生日期:%s  认定日期:%s\n", d1, d2);
	if (a->no_conduct_date)
		fprintf(out, "适用版本:%s(未提供发生日期,仅载入此一个版本)\n", p->version);
	else if (!a->has_later)
		fprintf(out, "适用版本:%s(行为发生时施行的版本)\n", p->version);
	else {
		const struct rc_policy *old = a->run[0].p, *nw = a->run[1].p;
		char b0[512], b1[512];
		rc_band_text(old, a->run[0].cand, 1, "或", "无", b0, sizeof(b0));
		rc_band_text(nw, a->run[1].cand, 1, "或", "无", b1, sizeof(b1));
		fprintf(out, "版本比较:行为发生时施行 %s,建议%s%s;认定时施行 %s,建议%s%s。\n",
			old->version,
			a->run[0].result->state == RC_OUTCOME_DETERMINED ? "" : "待定,可能", b0,
			nw->version,
			a->run[1].result->state == RC_OUTCOME_DETERMINED ? "" : "待定,可能", b1);
		if (a->applied == 1)
			fprintf(out,
				"适用版本:%s。从旧兼从轻:认定时施行的 %s 对当事人更为有利,"
				"故适用新版本。\n",
				nw->version, nw->version);
		else if (a->later_undecided)
			fprintf(out,
				"适用版本:%s(行为发生时施行)。认定时施行 %s;结论待定,"
				"从旧兼从轻的比较须待事实查明后进行。\n",
				old->version, nw->version);
		else
			fprintf(out,
				"适用版本:%s(行为发生时施行)。认定时施行的 %s 并不更为有利,"
				"依从旧原则不适用。\n",
				old->version, nw->version);
	}

	fprintf(out, "\n一、容错情形\n");
	for (int s = 0; s < ns; s++) {
		const struct item *it = &p->items[RC_K_SITUATION][s];
		enum rc_truth v = (enum rc_truth)r->regs[it->reg];
		const struct item *cat = &p->items[RC_K_CATEGORY][it->category];
		fprintf(out, "  %s 〔%s〕%s", item_mark(v), cat->title, it->title);
		cite(out, &it->prov);
		fputc('\n', out);
		for (int e = 0; e < ne; e++)
			if (r->blocked[s * ne + e] == RC_TRUE)
				fprintf(out, "           但被不予容错情形「%s」排除\n",
					p->items[RC_K_EXCLUSION][e].title);
		if (v != RC_TRUE && why_not && strcmp(why_not, it->name) == 0) {
			int n = why(r->regs, it->when, RC_TRUE, rs, 0);
			fprintf(out, "           为何不符合:\n");
			print_reasons(out, f, rs, n, "             ");
		}
	}

	fprintf(out, "\n二、一般条件(须全部满足)\n");
	for (int c = 0; c < p->n_items[RC_K_CONDITION]; c++) {
		const struct item *it = &p->items[RC_K_CONDITION][c];
		enum rc_truth v = (enum rc_truth)r->regs[it->reg];
		fprintf(out, "  %s %s", item_mark(v), it->title);
		cite(out, &it->prov);
		fputc('\n', out);
		if (v != RC_TRUE) {
			int n = why(r->regs, it->when, RC_TRUE, rs, 0);
			print_reasons(out, f, rs, n, "           ");
		}
	}

	fprintf(out, "\n三、不予容错情形(任一触及即排除容错)\n");
	for (int e = 0; e < ne; e++) {
		const struct item *it = &p->items[RC_K_EXCLUSION][e];
		enum rc_truth v = (enum rc_truth)r->regs[it->reg];
		if (!it->enabled) {
			fprintf(out, "  [已停用] %s", it->title);
			cite(out, &it->prov);
			fputc('\n', out);
			continue;
		}
		fprintf(out, "  %s %s",
			v == RC_TRUE    ? "[触及]  "
			: v == RC_FALSE ? "[未触及]"
					: "[待查明]",
			it->title);
		cite(out, &it->prov);
		fputc('\n', out);
		if (v == RC_TRUE) {
			int n = why(r->regs, it->when, RC_FALSE, rs, 0);
			fprintf(out, "           触及依据:\n");
			print_reasons(out, f, rs, n, "             ");
		} else if (v == RC_UNKNOWN) {
			int n = why(r->regs, it->when, RC_FALSE, rs, 0);
			print_reasons(out, f, rs, n, "           ");
		}
	}

	fprintf(out, "\n四、结论\n");
	fprintf(out, "  可以容错:%s\n", truth_zh((enum rc_truth)r->regs[p->reg_tolerable]));
	if (r->state == RC_OUTCOME_DETERMINED) {
		const struct rule *ru = &p->rules[r->rule];
		rc_band_text(p, r->band, 1, " 或 ", "(无)", buf, sizeof(buf));
		fprintf(out, "  建议结果:%s\n", buf);
		fprintf(out, "  依据规则:%s", ru->title ? ru->title : ru->name);
		cite(out, &ru->prov);
		fputc('\n', out);
	} else {
		rc_band_text(p, a->candidates, 1, "、", "(无)", buf, sizeof(buf));
		fprintf(out, "  建议结果:待定(尚有关键事实未查明),可能的结果:%s\n", buf);
	}

	fprintf(out, "\n五、待查明的关键事实\n");
	if (a->n_decisive == 0)
		fprintf(out, "  无:现有事实已足以得出上述结论。\n");
	for (int i = 0; i < a->n_decisive && i < RC_ASSESS_MAX_DECISIVE; i++) {
		const struct fact *fa = &a->decisive[i].p->facts[a->decisive[i].slot];
		fprintf(out, "  · %s(%s)%s%s\n", fa->label, fa->name, fa->help ? ":" : "",
			fa->help ? fa->help : "");
	}

	/* Placeholders that bear on this result: met ones, and unknown ones
	 * while what they feed (tolerable, or excluded) is still open.  Never
	 * let a TYPICAL or UNKNOWN item pass for the jurisdiction's own text. */
	enum rc_truth tol = (enum rc_truth)r->regs[p->reg_tolerable];
	enum rc_truth exc = (enum rc_truth)r->regs[p->reg_excluded];
	static const char *const kind_zh[] = {[RC_K_SITUATION] = "容错情形",
					      [RC_K_CONDITION] = "一般条件",
					      [RC_K_EXCLUSION] = "不予容错情形"};
	int provisional = 0;
	for (int k = RC_K_SITUATION; k <= RC_K_EXCLUSION; k++)
		for (int i = 0; i < p->n_items[k]; i++) {
			const struct item *it = &p->items[k][i];
			enum rc_truth v = node_value(r->regs, it->when);
			if (k == RC_K_EXCLUSION && !it->enabled)
				continue;
			if ((it->prov.status != RC_STATUS_TYPICAL &&
			     it->prov.status != RC_STATUS_UNKNOWN) ||
			    !(v == RC_TRUE ||
			      (v == RC_UNKNOWN && (k == RC_K_EXCLUSION ? exc : tol) == RC_UNKNOWN)))
				continue;
			if (!provisional++)
				fprintf(out,
					"\n提示:以下影响本结论的条目并非本地官方文本,仅供参考:\n");
			fprintf(out, "  · %s「%s」(%s%s)\n", kind_zh[k], it->title,
				status_zh(it->prov.status), v == RC_TRUE ? "" : ";待查明");
		}
	if (r->rule >= 0 && (p->rules[r->rule].prov.status == RC_STATUS_TYPICAL ||
			     p->rules[r->rule].prov.status == RC_STATUS_UNKNOWN)) {
		if (!provisional++)
			fprintf(out, "\n提示:以下影响本结论的条目并非本地官方文本,仅供参考:\n");
		fprintf(out, "  · 规则「%s」(%s)\n",
			p->rules[r->rule].title ? p->rules[r->rule].title : p->rules[r->rule].name,
			status_zh(p->rules[r->rule].prov.status));
	}
	fprintf(out, "\n说明:本建议由规则引擎依据政策文件生成,供会商研判参考;是否容错由党委(党组)"
		     "集体研究认定。\n");
	return ferror(out) ? RC_ERR_IO : RC_OK;
}

/* ---- JSON ----------------------------------------------------------- */

static json_t *prov_json(json_t *o, const struct prov *pv)
{
	json_object_set_new(o, "status", json_string(rc_status_name(pv->status)));
	json_object_set_new(o, "source", pv->source ? json_string(pv->source) : json_null());
	json_object_set_new(o, "article", pv->article ? json_string(pv->article) : json_null());
	return o;
}

static json_t *reasons_json(const struct rc_facts *f, const struct reason *rs, int n)
{
	json_t *arr = json_array();
	char t[1024], v[256];
	for (int i = 0; i < n; i++) {
		const struct expr *e = rs[i].leaf;
		json_t *o = json_object();
		rc_leaf_text(e, t, sizeof(t));
		json_object_set_new(o, "condition", json_string(t));
		json_object_set_new(o, "needed", json_string(truth_en(rs[i].want)));
		json_object_set_new(o, "actual", json_string(truth_en(rs[i].got)));
		if (leaf_is_fact(e)) {
			json_object_set_new(o, "fact", json_string(f->p->facts[e->ri].name));
			value_text(f, e->ri, v, sizeof(v));
			json_object_set_new(o, "value",
					    f->known[e->ri] ? json_string(v) : json_null());
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *band_json(const struct rc_policy *p, uint64_t band)
{
	json_t *arr = json_array();
	for (int o = 0; o < p->n_outcomes; o++)
		if (band & ((uint64_t)1 << o)) {
			json_t *x = json_object();
			json_object_set_new(x, "id", json_string(p->outcomes[o].name));
			json_object_set_new(x, "title", json_string(p->outcomes[o].title));
			json_object_set_new(x, "leniency", json_integer(p->outcomes[o].leniency));
			json_object_set_new(x, "restricts", json_boolean(p->outcomes[o].restricts));
			json_array_append_new(arr, x);
		}
	return arr;
}

static json_t *date_json(int32_t d)
{
	char b[RC_DATE_STRLEN];
	if (d == INT32_MIN || d == INT32_MAX)
		return json_null();
	rc_date_format(d, b);
	return json_string(b);
}

static json_t *policy_json(const struct rc_policy *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "series", json_string(p->series));
	json_object_set_new(o, "version", json_string(p->version));
	json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "effective", date_json(p->effective));
	json_object_set_new(o, "until", date_json(p->until));
	json_object_set_new(o, "digest", json_string(p->digest));
	return o;
}

enum rc_err rc_assessment_write_json(const struct rc_assessment *a, FILE *out)
{
	const struct assess_run *run = &a->run[a->applied];
	const struct rc_policy *p = run->p;
	const struct rc_result *r = run->result;
	const struct rc_facts *f = run->facts;
	struct reason rs[MAX_REASONS];
	int ns = p->n_items[RC_K_SITUATION], ne = p->n_items[RC_K_EXCLUSION];
	json_t *root = json_object(), *arr, *o;

	json_object_set_new(root, "format", json_string("rongcuo-assessment/1"));
	json_object_set_new(root, "policy", policy_json(p));

	o = json_object();
	json_object_set_new(o, "conduct_date", date_json(a->conduct));
	json_object_set_new(o, "decision_date", date_json(a->decision));
	json_object_set_new(o, "in_force_at_conduct", json_string(a->run[0].p->version));
	json_object_set_new(o, "in_force_at_decision",
			    a->at_decision ? json_string(a->at_decision->version) : json_null());
	json_object_set_new(o, "applied", json_string(p->version));
	json_object_set_new(o, "basis",
			    json_string(a->applied == 1      ? "lighter_later_version"
					: a->no_conduct_date ? "only_version"
					: a->later_undecided ? "conduct_version_comparison_pending"
							     : "conduct_version"));
	if (a->has_later) {
		/* what each version recommends: the basis of 从旧兼从轻 */
		json_t *cmp = json_array();
		for (int i = 0; i < 2; i++) {
			json_t *x = json_object();
			const struct assess_run *ru = &a->run[i];
			json_object_set_new(x, "version", json_string(ru->p->version));
			json_object_set_new(x, "state",
					    json_string(ru->result->state == RC_OUTCOME_DETERMINED
							    ? "determined"
							    : "undetermined"));
			json_object_set_new(x, "outcomes", band_json(ru->p, ru->cand));
			json_array_append_new(cmp, x);
		}
		json_object_set_new(o, "comparison", cmp);
	}
	json_object_set_new(root, "version_selection", o);

	json_object_set_new(root, "tolerable",
			    json_string(truth_en((enum rc_truth)r->regs[p->reg_tolerable])));
	json_object_set_new(root, "excluded",
			    json_string(truth_en((enum rc_truth)r->regs[p->reg_excluded])));

	arr = json_array();
	for (int s = 0; s < ns; s++) {
		const struct item *it = &p->items[RC_K_SITUATION][s];
		enum rc_truth v = (enum rc_truth)r->regs[it->reg];
		o = json_object();
		json_object_set_new(o, "id", json_string(it->name));
		json_object_set_new(o, "title", json_string(it->title));
		json_object_set_new(o, "category",
				    json_string(p->items[RC_K_CATEGORY][it->category].name));
		json_object_set_new(o, "value", json_string(truth_en(v)));
		prov_json(o, &it->prov);
		json_t *bl = json_array();
		for (int e = 0; e < ne; e++)
			if (r->blocked[s * ne + e] == RC_TRUE)
				json_array_append_new(
				    bl, json_string(p->items[RC_K_EXCLUSION][e].name));
		json_object_set_new(o, "blocked_by", bl);
		if (v != RC_TRUE)
			json_object_set_new(
			    o, "why_not",
			    reasons_json(f, rs, why(r->regs, it->when, RC_TRUE, rs, 0)));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "situations", arr);

	arr = json_array();
	for (int c = 0; c < p->n_items[RC_K_CONDITION]; c++) {
		const struct item *it = &p->items[RC_K_CONDITION][c];
		enum rc_truth v = (enum rc_truth)r->regs[it->reg];
		o = json_object();
		json_object_set_new(o, "id", json_string(it->name));
		json_object_set_new(o, "title", json_string(it->title));
		json_object_set_new(o, "value", json_string(truth_en(v)));
		prov_json(o, &it->prov);
		if (v != RC_TRUE)
			json_object_set_new(
			    o, "why_not",
			    reasons_json(f, rs, why(r->regs, it->when, RC_TRUE, rs, 0)));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "conditions", arr);

	arr = json_array();
	for (int e = 0; e < ne; e++) {
		const struct item *it = &p->items[RC_K_EXCLUSION][e];
		enum rc_truth v = (enum rc_truth)r->regs[it->reg];
		o = json_object();
		json_object_set_new(o, "id", json_string(it->name));
		json_object_set_new(o, "title", json_string(it->title));
		json_object_set_new(o, "enabled", json_boolean(it->enabled));
		json_object_set_new(o, "value", json_string(truth_en(v)));
		prov_json(o, &it->prov);
		json_t *bl = json_array();
		for (int s = 0; s < ns; s++)
			if (r->blocked[s * ne + e] == RC_TRUE)
				json_array_append_new(
				    bl, json_string(p->items[RC_K_SITUATION][s].name));
		json_object_set_new(o, "blocks", bl);
		if (it->enabled && v != RC_FALSE)
			json_object_set_new(
			    o, "because",
			    reasons_json(f, rs, why(r->regs, it->when, RC_FALSE, rs, 0)));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "exclusions", arr);

	o = json_object();
	json_object_set_new(o, "state",
			    json_string(r->state == RC_OUTCOME_DETERMINED ? "determined"
					: r->state == RC_OUTCOME_CONFLICT ? "conflict"
									  : "undetermined"));
	json_object_set_new(
	    o, r->state == RC_OUTCOME_DETERMINED ? "band" : "candidates",
	    band_json(p, r->state == RC_OUTCOME_DETERMINED ? r->band : a->candidates));
	if (r->rule >= 0) {
		const struct rule *ru = &p->rules[r->rule];
		json_t *x = json_object();
		json_object_set_new(x, "id", json_string(ru->name));
		json_object_set_new(x, "title", ru->title ? json_string(ru->title) : json_null());
		json_object_set_new(x, "priority", json_integer(ru->priority));
		prov_json(x, &ru->prov);
		json_object_set_new(o, "rule", x);
	}
	json_object_set_new(root, "outcome", o);

	arr = json_array();
	for (int i = 0; i < a->n_decisive && i < RC_ASSESS_MAX_DECISIVE; i++) {
		const struct fact *fa = &a->decisive[i].p->facts[a->decisive[i].slot];
		char t[600];
		rc_policy_slot_describe(a->decisive[i].p, a->decisive[i].slot, t, sizeof(t));
		o = json_object();
		json_object_set_new(o, "fact", json_string(fa->name));
		json_object_set_new(o, "label", json_string(fa->label));
		json_object_set_new(o, "kind", json_string(fa->is_standard ? "finding" : "fact"));
		json_object_set_new(o, "type", json_string(t));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "decisive_unknowns", arr);

	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc || ferror(out) ? RC_ERR_IO : RC_OK;
}
