/*
 * bench_store.c -- the store benchmark's helper (bench/store/run.sh).
 *
 *   bench_store gen N FILE.csv [--facts]
 *       N historical cases as CSV, the same on every run (splitmix64 with a
 *       fixed seed): steps and outcomes of the version in force on each
 *       case's date, read from policies/ through the library; --facts adds
 *       three fact columns (谋取私利, 损失金额, 补救情况).
 *   bench_store setup DATADIR
 *       the organisations (1 province, 11 cities, 99 counties), 2,000
 *       officials and the importing user `bench` (承办单位 at the province),
 *       through the procedure API, in a directory `rongcuo db init` made.
 *   bench_store read DATADIR FILE.csv READS
 *       READS cases by code, drawn at random from those of FILE.csv, through
 *       the store API (Q_CASE_BY_CODE, every column read; then the same with
 *       the case's steps, Q_STEPS_OF_CASE, as `case show` begins): p50, p99
 *       and max latency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/date.h"
#include "policy/policy.h"
#include "procedure/procedure.h"
#include "report/report.h"

#define CITIES   11
#define COUNTIES 9 /* per city */
#define PEOPLE   2000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int pick(int n)
{
	return (int)(next() % (uint64_t)n);
}

static void county_code(int i, char *buf, size_t len)
{
	snprintf(buf, len, "C%02d-D%d", i / COUNTIES + 1, i % COUNTIES + 1);
}

static int field(FILE *f, const char *s, int first, unsigned flags)
{
	return rc_csv_write_field(f, s, strlen(s), first, flags) == RC_OK ? 0 : -1;
}

static int gen(long n, const char *path, int facts)
{
	struct rc_policy_set *set = NULL;
	struct rc_diags *d = calloc(1, sizeof(*d));
	FILE *f = NULL;
	int rc = 2;
	static const char *const sources[] = {"监督执纪", "巡视巡察", "干部考核", "监管执法",
					      "审计",     "其他",     ""};
	static const char *const grades[] = {"有利", "一般", "不利", "未查明"};
	if (!d)
		goto out;
	rc_diags_init(d, "policies");
	if (rc_policy_set_new(&set) || rc_policy_set_load(set, "policies", d)) {
		rc_diags_print(d, stderr);
		goto out;
	}
	if (!(f = fopen(path, "wb")))
		goto out;
	fputs("案件编号,当事人,当事人姓名,涉及单位,启动方式,案件来源,关联问责事项,承办单位,"
	      "党委(党组),立案日期,当前步骤,步骤日期,认定结果,认定日期,政策版本",
	      f);
	if (facts)
		fputs(",谋取私利,损失金额,补救情况", f);
	fputs("\r\n", f);
	int32_t from = rc_date_from_ymd(2022, 1, 1), to = rc_date_from_ymd(2026, 6, 30);
	for (long i = 0; i < n; i++) {
		char code[64], person[16], name[32], county[16], city[16], ref[64], o[16], s[16],
		    dd[16];
		int32_t opened = from + pick(to - from + 1);
		const struct rc_policy *p = rc_policy_set_at(set, opened);
		int nsteps = rc_policy_count(p, RC_K_STEP);
		int decide_at = rc_policy_find(p, RC_K_STEP, "认定");
		int si = pick(nsteps);
		struct rc_step_info step;
		rc_policy_step(p, si, &step);
		int32_t on = opened + pick(60);
		int c = pick(CITIES * COUNTIES), pid = 1 + pick(PEOPLE);
		county_code(c, county, sizeof(county));
		snprintf(city, sizeof(city), "C%02d", c / COUNTIES + 1);
		rc_date_format(opened, o);
		rc_date_format(on, s);
		snprintf(code, sizeof(code), "%s-%.4s-%07ld", county, o, i + 1);
		snprintf(person, sizeof(person), "%d", pid);
		snprintf(name, sizeof(name), "官员%04d", pid);
		int r = pick(100);
		if (r < 5)
			snprintf(ref, sizeof(ref), "问责, 第%ld号", i + 1); /* quoted */
		else if (r < 20)
			snprintf(ref, sizeof(ref), "问责〔%.4s〕%ld号", o, i % 1000 + 1);
		else
			ref[0] = '\0';
		const char *outcome = "";
		dd[0] = '\0';
		if (decide_at >= 0 && si >= decide_at && pick(10) < 7) {
			outcome = rc_policy_item_name(p, RC_K_OUTCOME,
						      pick(rc_policy_count(p, RC_K_OUTCOME)));
			memcpy(dd, s, sizeof(dd));
		}
		if (field(f, code, 1, RC_CSV_TEXT) || field(f, person, 0, 0) ||
		    field(f, name, 0, RC_CSV_TEXT) ||
		    field(f, pick(10) == 0 ? county : "", 0, RC_CSV_TEXT) ||
		    field(f, pick(2) ? "依申请" : "依职权", 0, RC_CSV_TEXT) ||
		    field(f, sources[pick(7)], 0, RC_CSV_TEXT) || field(f, ref, 0, RC_CSV_TEXT) ||
		    field(f, county, 0, RC_CSV_TEXT) ||
		    field(f, pick(2) ? city : "", 0, RC_CSV_TEXT) || field(f, o, 0, 0) ||
		    field(f, step.name, 0, RC_CSV_TEXT) || field(f, s, 0, 0) ||
		    field(f, outcome, 0, RC_CSV_TEXT) || field(f, dd, 0, 0) ||
		    field(f, rc_policy_version(p), 0, RC_CSV_TEXT))
			goto out;
		if (facts) {
			char loss[16];
			snprintf(loss, sizeof(loss), "%d", pick(500));
			if (field(f, pick(5) ? "否" : "是", 0, 0) || field(f, loss, 0, 0) ||
			    field(f, grades[pick(4)], 0, 0))
				goto out;
		}
		if (rc_csv_end_record(f))
			goto out;
	}
	if (fclose(f) == 0)
		rc = 0;
	f = NULL;
out:
	if (f)
		fclose(f);
	rc_policy_set_free(set);
	free(d);
	return rc;
}

/* The database of data directory `dir`: the URL in its db.url (a
 * PostgreSQL database, `db init --db`), else its rongcuo.db. */
static void db_of(const char *dir, char *out, size_t len)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s/db.url", dir);
	FILE *f = fopen(path, "r");
	if (f && fgets(out, (int)len, f)) {
		out[strcspn(out, "\n")] = '\0';
		fclose(f);
		return;
	}
	if (f)
		fclose(f);
	snprintf(out, len, "%s/rongcuo.db", dir);
}

static int setup(const char *dir)
{
	char db[1100], key[1100], head[1100], city[16], county[16], name[32];
	uint8_t k[RC_AUDIT_KEY_LEN];
	struct rc_diags *d = calloc(1, sizeof(*d));
	struct rc_store *s = NULL;
	struct rc_unit u = {0};
	int64_t id;
	int rc = 2;
	if (!d)
		return 2;
	rc_diags_init(d, dir);
	db_of(dir, db, sizeof(db));
	snprintf(key, sizeof(key), "%s/audit.key", dir);
	snprintf(head, sizeof(head), "%s/audit.head", dir);
	if (rc_audit_key_load(key, k, d) || rc_store_open(db, d, &s))
		goto out;
	u.store = s;
	u.key = k;
	u.head_path = head;
	if (rc_unit_init(&u) ||
	    rc_proc_org_add(&u, "cli", "ZJ", "浙江省", "province", NULL, d, &id))
		goto out;
	for (int c = 0; c < CITIES; c++) {
		snprintf(city, sizeof(city), "C%02d", c + 1);
		snprintf(name, sizeof(name), "市%02d", c + 1);
		if (rc_proc_org_add(&u, "cli", city, name, "city", "ZJ", d, &id))
			goto out;
		for (int k2 = 0; k2 < COUNTIES; k2++) {
			county_code(c * COUNTIES + k2, county, sizeof(county));
			snprintf(name, sizeof(name), "县%s", county);
			if (rc_proc_org_add(&u, "cli", county, name, "county", city, d, &id))
				goto out;
		}
	}
	for (int i = 1; i <= PEOPLE; i++) {
		county_code((i - 1) % (CITIES * COUNTIES), county, sizeof(county));
		snprintf(name, sizeof(name), "官员%04d", i);
		if (rc_proc_person_add(&u, "cli", name, county, NULL, NULL, d, &id) || id != i)
			goto out;
	}
	if (rc_proc_user_add(&u, "cli", "bench", "基准", "ZJ", "承办单位", d))
		goto out;
	rc = 0;
out:
	rc_diags_print(d, stderr);
	rc_store_close(s);
	free(d);
	return rc;
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct code {
	char s[40];
};

/* The codes of the cases: the first column of the CSV that was imported. */
static int read_codes(const char *csv, struct code **out, long *n)
{
	FILE *f = fopen(csv, "rb");
	struct rc_csv_reader *r = NULL;
	struct rc_csv_record rec;
	struct code *c = NULL;
	long cap = 0;
	int rc = -1;
	*n = 0;
	if (!f || rc_csv_reader_new(f, NULL, &r))
		goto out;
	for (int first = 1;; first = 0) {
		if (rc_csv_next(r, &rec) || rec.eof)
			break;
		if (first)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			struct code *t = realloc(c, (size_t)cap * sizeof(*t));
			if (!t)
				goto out;
			c = t;
		}
		snprintf(c[*n].s, sizeof(c[*n].s), "%s", rec.fields[0]);
		++*n;
	}
	rc = *n ? 0 : -1;
out:
	rc_csv_reader_free(r);
	if (f)
		fclose(f);
	*out = c;
	return rc;
}

static int read_bench(const char *dir, const char *csv, long reads)
{
	char db[1100];
	struct rc_diags *d = calloc(1, sizeof(*d));
	struct rc_store *s = NULL;
	struct code *codes = NULL;
	long n = 0;
	double *lat = calloc((size_t)reads, sizeof(*lat)),
	       *lat2 = calloc((size_t)reads, sizeof(*lat2));
	int rc = 2;
	if (!d || !lat || !lat2 || read_codes(csv, &codes, &n))
		goto out;
	rc_diags_init(d, dir);
	db_of(dir, db, sizeof(db));
	if (rc_store_open(db, d, &s))
		goto out;
	/* a different stream for the draws */
	rng = 0x2545f4914f6cdd1dull;
	long misses = 0;
	volatile size_t sink = 0;
	for (long pass = 0; pass < 2; pass++) {
		double *l = pass ? lat2 : lat;
		for (long i = 0; i < reads; i++) {
			const char *code = codes[pick((int)n)].s;
			struct rc_stmt *st;
			int row;
			size_t len;
			double t0 = now_ns();
			if (rc_store_stmt(s, Q_CASE_BY_CODE, &st) ||
			    rc_stmt_bind_str(st, 1, code) || rc_stmt_step(st, &row))
				goto out;
			if (!row) {
				misses++;
				continue;
			}
			for (int c = 0; c < 15; c++) {
				rc_stmt_text(st, c, &len);
				sink += len;
			}
			if (pass) {
				int64_t id = rc_stmt_int(st, 0);
				if (rc_store_stmt(s, Q_STEPS_OF_CASE, &st) ||
				    rc_stmt_bind_int(st, 1, id))
					goto out;
				while (rc_stmt_step(st, &row) == RC_OK && row)
					for (int c = 0; c < 5; c++) {
						rc_stmt_text(st, c, &len);
						sink += len;
					}
			}
			l[i] = now_ns() - t0;
		}
		qsort(l, (size_t)reads, sizeof(*l), cmp_double);
	}
	if (misses) {
		fprintf(stderr, "bench_store: %ld codes not found\n", misses);
		goto out;
	}
	printf("RESULT read_p50_us %.1f\nRESULT read_p99_us %.1f\nRESULT read_max_us %.1f\n",
	       lat[reads / 2] / 1e3, lat[reads * 99 / 100] / 1e3, lat[reads - 1] / 1e3);
	printf("RESULT steps_p50_us %.1f\nRESULT steps_p99_us %.1f\nRESULT steps_max_us %.1f\n",
	       lat2[reads / 2] / 1e3, lat2[reads * 99 / 100] / 1e3, lat2[reads - 1] / 1e3);
	rc = 0;
out:
	rc_diags_print(d, stderr);
	rc_store_close(s);
	free(codes);
	free(lat);
	free(lat2);
	free(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return gen(strtol(argv[2], NULL, 10), argv[3],
			   argc >= 5 && strcmp(argv[4], "--facts") == 0);
	if (argc == 3 && strcmp(argv[1], "setup") == 0)
		return setup(argv[2]);
	if (argc == 5 && strcmp(argv[1], "read") == 0) {
		long reads = strtol(argv[4], NULL, 10);
		if (reads < 100)
			return 2;
		return read_bench(argv[2], argv[3], reads);
	}
	fputs("usage: bench_store gen N FILE.csv [--facts] | setup DATADIR | read DATADIR FILE.csv "
	      "READS\n",
	      stderr);
	return 2;
}
