/*
 * gen.c -- deterministic fact sets for the evaluation benchmark (gen.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "core/date.h"

/* splitmix64 (Steele, Lea, Flood 2014): a fixed seed gives the same stream
 * on every machine. */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) (n > 0); the modulo bias is irrelevant here but avoided
 * anyway with a 128-bit-free multiply-shift on 32 bits. */
static uint64_t below(uint64_t *s, uint64_t n)
{
	if (n <= UINT32_MAX)
		return ((splitmix64(s) >> 32) * n) >> 32;
	return splitmix64(s) % n;
}

static double unit(uint64_t *s)
{
	return (double)(splitmix64(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* "int in 万元, 0..100000000" -> lo, hi (either may be absent). */
static void parse_range(const char *desc, int64_t *lo, int64_t *hi)
{
	const char *dots = strstr(desc, "..");
	if (!dots)
		return;
	const char *start = dots;
	while (start > desc && (start[-1] == '-' || (start[-1] >= '0' && start[-1] <= '9')))
		start--;
	if (start < dots)
		*lo = strtoll(start, NULL, 10);
	if (dots[2] == '-' || (dots[2] >= '0' && dots[2] <= '9'))
		*hi = strtoll(dots + 2, NULL, 10);
}

/* `one of "a", "b", "c"` -> the names, copied. */
static int parse_values(const char *desc, struct bench_slot *sl)
{
	int n = 0;
	const char *q = desc;
	while ((q = strchr(q, '"')) != NULL && n < BENCH_MAX_VALUES) {
		const char *e = strchr(q + 1, '"');
		if (!e)
			break;
		size_t len = (size_t)(e - q - 1);
		char *v = malloc(len + 1);
		if (!v)
			return -1;
		memcpy(v, q + 1, len);
		v[len] = '\0';
		sl->values[n++] = v;
		q = e + 1;
	}
	return n;
}

int bench_schema_init(const struct rc_policy *p, struct bench_schema *out)
{
	struct rc_facts *f = NULL;
	int ns = rc_policy_slot_count(p);
	memset(out, 0, sizeof(*out));
	out->slot = calloc((size_t)ns + 1, sizeof(*out->slot));
	if (!out->slot || rc_facts_new(p, &f) != RC_OK) {
		fprintf(stderr, "bench: out of memory\n");
		free(out->slot);
		out->slot = NULL;
		return -1;
	}
	out->n = ns;
	int nf = rc_policy_count(p, RC_K_FACT), nst = rc_policy_count(p, RC_K_STANDARD);
	for (int k = 0; k < nf + nst; k++) {
		int is_std = k >= nf;
		const char *name =
		    rc_policy_item_name(p, is_std ? RC_K_STANDARD : RC_K_FACT, is_std ? k - nf : k);
		int i = name ? rc_policy_slot_find(p, name) : -1;
		if (i < 0 || i >= ns) {
			fprintf(stderr, "bench: cannot find the slot of '%s'\n", name ? name : "?");
			goto fail;
		}
		struct bench_slot *sl = &out->slot[i];
		char desc[4096];
		sl->name = name;
		sl->is_standard = is_std;
		sl->unknown_grade = -1;
		rc_policy_slot_describe(p, i, desc, sizeof(desc));
		if (rc_facts_set_bool(f, i, 0) == RC_OK) {
			sl->type = RC_FT_BOOL;
		} else if (rc_facts_set_enum(f, i, 0) == RC_OK) {
			sl->type = RC_FT_ENUM;
			int nv = parse_values(desc, sl);
			if (nv <= 0) {
				fprintf(stderr,
					"bench: cannot read the values of '%s' from \"%s\"\n", name,
					desc);
				goto fail;
			}
			sl->n_values = nv;
			/* The count parsed must be exactly what the setter accepts. */
			if (rc_facts_set_enum(f, i, nv - 1) != RC_OK ||
			    rc_facts_set_enum(f, i, nv) != RC_ERR_RANGE) {
				fprintf(stderr,
					"bench: '%s': %d values parsed, the engine disagrees\n",
					name, nv);
				goto fail;
			}
			for (int v = 0; v < nv; v++) {
				rc_facts_set_enum(f, i, v);
				if (!rc_facts_known(f, i))
					sl->unknown_grade = v;
			}
		} else if (rc_facts_set_int(f, i, 0) != RC_ERR_TYPE) {
			sl->type = RC_FT_INT;
			int64_t lo = 0, hi = 1000000;
			parse_range(desc, &lo, &hi);
			if (hi < lo || hi - lo > 1000000)
				hi = lo + 1000000; /* a million steps are plenty */
			if (rc_facts_set_int(f, i, lo) != RC_OK ||
			    rc_facts_set_int(f, i, hi) != RC_OK) {
				fprintf(stderr, "bench: '%s': range %lld..%lld refused\n", name,
					(long long)lo, (long long)hi);
				goto fail;
			}
			sl->lo = lo;
			sl->hi = hi;
		} else if (rc_facts_set_date(f, i, 0) == RC_OK) {
			sl->type = RC_FT_DATE;
			sl->lo = rc_date_from_ymd(2023, 6, 1);
			sl->hi = rc_date_from_ymd(2026, 5, 31);
		} else if (rc_facts_set_text(f, i, "x", 1) == RC_OK) {
			sl->type = RC_FT_TEXT;
		} else {
			fprintf(stderr, "bench: slot '%s' has a type the benchmark does not know\n",
				name);
			goto fail;
		}
	}
	for (int i = 0; i < ns; i++)
		if (!out->slot[i].name) {
			fprintf(stderr, "bench: slot %d is neither a fact nor a standard\n", i);
			goto fail;
		}
	rc_facts_free(f);
	return 0;
fail:
	rc_facts_free(f);
	bench_schema_free(out);
	return -1;
}

void bench_schema_free(struct bench_schema *sc)
{
	if (!sc->slot)
		return;
	for (int i = 0; i < sc->n; i++)
		for (int v = 0; v < sc->slot[i].n_values; v++)
			free(sc->slot[i].values[v]);
	free(sc->slot);
	sc->slot = NULL;
	sc->n = 0;
}

int bench_enum_index(const struct bench_schema *sc, int slot, const char *name)
{
	if (slot < 0 || slot >= sc->n)
		return -1;
	for (int v = 0; v < sc->slot[slot].n_values; v++)
		if (strcmp(sc->slot[slot].values[v], name) == 0)
			return v;
	return -1;
}

int bench_gen(const struct bench_schema *sc, const struct bench_gen_params *gp, int n,
	      struct bench_sets *out)
{
	uint64_t s = gp->seed;
	size_t cells = (size_t)n * (size_t)sc->n;
	out->n = n;
	out->n_slots = sc->n;
	out->val = calloc(cells + 1, sizeof(int64_t));
	out->known = calloc(cells + 1, 1);
	if (!out->val || !out->known) {
		bench_sets_free(out);
		return -1;
	}
	for (int k = 0; k < n; k++) {
		int64_t *val = out->val + (size_t)k * (size_t)sc->n;
		uint8_t *known = out->known + (size_t)k * (size_t)sc->n;
		double p_known = gp->known_lo + (gp->known_hi - gp->known_lo) * unit(&s);
		double p_true = gp->true_lo + (gp->true_hi - gp->true_lo) * unit(&s);
		for (int i = 0; i < sc->n; i++) {
			const struct bench_slot *sl = &sc->slot[i];
			/* Draw both numbers always, so that one slot's outcome never
			 * shifts the stream of the next. */
			int is_known = unit(&s) < p_known;
			double u = unit(&s);
			uint64_t r = splitmix64(&s);
			int64_t v = 0;
			switch (sl->type) {
			case RC_FT_BOOL: v = u < p_true; break;
			case RC_FT_ENUM:
				v = (int64_t)(((r >> 32) * (uint64_t)sl->n_values) >> 32);
				if (v == sl->unknown_grade)
					is_known = 0;
				break;
			case RC_FT_INT:
			case RC_FT_DATE:
				v = sl->lo + (int64_t)below(&s, (uint64_t)(sl->hi - sl->lo) + 1);
				break;
			case RC_FT_TEXT: is_known = 0; break;
			}
			known[i] = (uint8_t)is_known;
			val[i] = is_known ? v : 0;
		}
	}
	return 0;
}

void bench_sets_free(struct bench_sets *s)
{
	free(s->val);
	free(s->known);
	s->val = NULL;
	s->known = NULL;
}

int bench_fill(const struct bench_schema *sc, const struct bench_sets *s, int k, struct rc_facts *f)
{
	const int64_t *val = s->val + (size_t)k * (size_t)s->n_slots;
	const uint8_t *known = s->known + (size_t)k * (size_t)s->n_slots;
	rc_facts_clear(f);
	for (int i = 0; i < sc->n; i++) {
		enum rc_err e = RC_OK;
		if (!known[i])
			continue;
		switch (sc->slot[i].type) {
		case RC_FT_BOOL: e = rc_facts_set_bool(f, i, (int)val[i]); break;
		case RC_FT_ENUM: e = rc_facts_set_enum(f, i, (int)val[i]); break;
		case RC_FT_INT: e = rc_facts_set_int(f, i, val[i]); break;
		case RC_FT_DATE: e = rc_facts_set_date(f, i, (int32_t)val[i]); break;
		case RC_FT_TEXT: e = RC_ERR_TYPE; break;
		}
		if (e != RC_OK) {
			fprintf(stderr, "bench: set %d: slot '%s' refused value %lld (%s)\n", k,
				sc->slot[i].name, (long long)val[i], rc_strerror(e));
			return -1;
		}
	}
	return 0;
}

void bench_write_json(const struct bench_schema *sc, const struct bench_sets *s, int k, FILE *out)
{
	const int64_t *val = s->val + (size_t)k * (size_t)s->n_slots;
	const uint8_t *known = s->known + (size_t)k * (size_t)s->n_slots;
	for (int pass = 0; pass < 2; pass++) {
		int first = 1;
		fputs(pass == 0 ? "{\"facts\":{" : "},\"findings\":{", out);
		for (int i = 0; i < sc->n; i++) {
			const struct bench_slot *sl = &sc->slot[i];
			if (sl->is_standard != pass)
				continue;
			/* Names are policy identifiers: no quote or backslash. */
			fprintf(out, "%s\"%s\":", first ? "" : ",", sl->name);
			first = 0;
			if (!known[i]) {
				fputs("null", out);
				continue;
			}
			switch (sl->type) {
			case RC_FT_BOOL: fputs(val[i] ? "true" : "false", out); break;
			case RC_FT_ENUM: fprintf(out, "\"%s\"", sl->values[val[i]]); break;
			case RC_FT_INT: fprintf(out, "%lld", (long long)val[i]); break;
			case RC_FT_DATE: {
				char d[RC_DATE_STRLEN];
				rc_date_format((int32_t)val[i], d);
				fprintf(out, "\"%s\"", d);
				break;
			}
			case RC_FT_TEXT: fputs("null", out); break;
			}
		}
	}
	fputs("}}", out);
}
