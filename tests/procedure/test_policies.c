/*
 * test_policies.c -- activating a policy version (procedure/policies.c):
 * checked like `policy check`, written into the policy directory with its
 * audit row, added to the running set; never over another version, never
 * overlapping one, and no file left when it is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "policy/policy.h"
#include "procedure/procedure.h"

static struct {
	char dir[4096], pdir[4200], db[4200];
	struct rc_store *s;
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_unit u;
	struct rc_diags *d;
	struct rc_policy_set *set;
} g;

static struct rc_diags *dg(void)
{
	rc_diags_init(g.d, "policy");
	return g.d;
}

static char *slurp(const char *name, size_t *len)
{
	char path[4300];
	snprintf(path, sizeof(path), "%s/policies/%s", RC_SOURCE_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int files(void)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", g.pdir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static int64_t audit_rows(const char *action)
{
	struct rc_stmt *st;
	int row;
	int64_t n = 0;
	assert_int_equal(rc_store_stmt(g.s, Q_AUDIT_PAGE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 1, 0), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 2, 100000), RC_OK);
	while (!rc_stmt_step(st, &row) && row)
		n += strcmp(rc_stmt_text(st, 5, NULL), action) == 0;
	return n;
}

/* The role and organisation of the newest audit row of `action`. */
static void last_row(const char *action, char *role, char *org, size_t cap)
{
	struct rc_stmt *st;
	int row;
	role[0] = org[0] = '\0';
	assert_int_equal(rc_store_stmt(g.s, Q_AUDIT_PAGE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 1, 0), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 2, 100000), RC_OK);
	while (!rc_stmt_step(st, &row) && row)
		if (strcmp(rc_stmt_text(st, 5, NULL), action) == 0) {
			snprintf(role, cap, "%s", rc_stmt_text(st, 3, NULL));
			snprintf(org, cap, "%s", rc_stmt_text(st, 4, NULL));
		}
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	int from, to;
	size_t len;
	snprintf(g.dir, sizeof(g.dir), "%s/rc-pol.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(g.dir));
	snprintf(g.pdir, sizeof(g.pdir), "%s/policies", g.dir);
	snprintf(g.db, sizeof(g.db), "%s/db.sqlite", g.dir);
	assert_int_equal(mkdir(g.pdir, 0700), 0);
	/* the directory holds the 2023 version only */
	char *t = slurp("zhejiang-2023.rcp", &len), path[4400];
	snprintf(path, sizeof(path), "%s/zhejiang-2023.rcp", g.pdir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(t, 1, len, f), len);
	fclose(f);
	free(t);
	g.d = malloc(sizeof(*g.d));
	assert_non_null(g.d);
	assert_int_equal(rc_store_open(g.db, dg(), &g.s), RC_OK);
	assert_int_equal(rc_store_migrate(g.s, dg(), &from, &to), RC_OK);
	assert_int_equal(rc_random_bytes(g.key, sizeof(g.key)), RC_OK);
	g.u.store = g.s;
	g.u.key = g.key;
	assert_int_equal(rc_unit_init(&g.u), RC_OK);
	assert_int_equal(rc_policy_set_new(&g.set), RC_OK);
	assert_int_equal(rc_policy_set_load(g.set, g.pdir, dg()), RC_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[4200];
	rc_store_close(g.s);
	rc_policy_set_free(g.set);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.dir);
	assert_int_equal(system(cmd), 0);
	free(g.d);
	return 0;
}

static void test_check_messages(void **state)
{
	(void)state;
	struct rc_policy *p = NULL;
	static const char bad[] = "policy x {\n  version \"1\"\n  nonsense here\n}\n";
	assert_int_not_equal(rc_proc_policy_check(g.set, bad, strlen(bad), dg(), &p), RC_OK);
	assert_null(p);
	assert_true(g.d->errors > 0);
	assert_true(g.d->items[0].line > 0); /* the message says where */
}

static void test_activate(void **state)
{
	(void)state;
	size_t len;
	char *t = slurp("zhejiang-2022-test.rcp", &len);
	int before = files();
	int64_t rows = audit_rows("policy.activate");
	assert_int_equal(rc_policy_set_count(g.set), 1);
	assert_int_equal(
	    rc_proc_policy_activate(&g.u, "sysadmin", "系统管理员", g.set, g.pdir, t, len, dg()),
	    RC_OK);
	assert_int_equal(rc_policy_set_count(g.set), 2);
	assert_int_equal(files(), before + 1);
	assert_int_equal(audit_rows("policy.activate"), rows + 1);
	char path[4400];
	snprintf(path, sizeof(path), "%s/zhejiang-rongcuo-2022.01-test.rcp", g.pdir);
	assert_int_equal(access(path, R_OK), 0);
	/* the directory, as the next start loads it, holds both */
	struct rc_policy_set *again;
	assert_int_equal(rc_policy_set_new(&again), RC_OK);
	assert_int_equal(rc_policy_set_load(again, g.pdir, dg()), RC_OK);
	assert_int_equal(rc_policy_set_count(again), 2);
	rc_policy_set_free(again);

	/* the same version again: refused, nothing written */
	assert_int_equal(
	    rc_proc_policy_activate(&g.u, "sysadmin", "系统管理员", g.set, g.pdir, t, len, dg()),
	    RC_ERR_CONFLICT);
	assert_int_equal(files(), before + 1);
	assert_int_equal(audit_rows("policy.activate"), rows + 1);

	/* another version string over the same period: refused, nothing written */
	char *v = strstr(t, "\"2022.01-test\"");
	assert_non_null(v);
	memcpy(v, "\"2022.02-test\"", 14);
	enum rc_err e =
	    rc_proc_policy_activate(&g.u, "sysadmin", "系统管理员", g.set, g.pdir, t, len, dg());
	assert_int_not_equal(e, RC_OK);
	assert_int_equal(files(), before + 1);
	assert_int_equal(audit_rows("policy.activate"), rows + 1);
	assert_int_equal(rc_policy_set_count(g.set), 2);
	free(t);
}

/* An administrative change names its maker as the accounts table has
 * them -- 系统管理员 at the root organisation -- and "cli" only for a
 * command line without --as. */
static void test_rows_name_the_administrator(void **state)
{
	(void)state;
	char role[128], org[128];
	assert_int_equal(
	    rc_proc_org_add(&g.u, "cli", "ROOT", "示例省", "province", NULL, dg(), NULL), RC_OK);
	last_row("org.add", role, org, sizeof(role));
	assert_string_equal(role, "cli");
	assert_string_equal(org, "-");
	assert_int_equal(
	    rc_proc_user_add(&g.u, "cli", "sysadm", "张三", "ROOT", "系统管理员", dg()), RC_OK);
	assert_int_equal(
	    rc_proc_org_add(&g.u, "sysadm", "SUB", "示例市", "city", "ROOT", dg(), NULL), RC_OK);
	last_row("org.add", role, org, sizeof(role));
	assert_string_equal(role, "系统管理员");
	assert_string_equal(org, "ROOT");
	int64_t id = 0;
	assert_int_equal(rc_proc_person_add(&g.u, "sysadm", "李四", "SUB", "科长", NULL, dg(), &id),
			 RC_OK);
	last_row("person.add", role, org, sizeof(role));
	assert_string_equal(role, "系统管理员");
	assert_string_equal(org, "ROOT");
	/* an account makes only its own administration's changes */
	assert_int_equal(rc_proc_user_add(&g.u, "cli", "li", "李四", "SUB", "承办单位", dg()),
			 RC_OK);
	assert_int_equal(rc_proc_org_add(&g.u, "li", "X", "某县", "county", "SUB", dg(), NULL),
			 RC_ERR_RANGE);
	assert_int_equal(rc_proc_user_add(&g.u, "sysadm", "wu", "吴十", "SUB", "承办单位", dg()),
			 RC_ERR_RANGE); /* accounts are the 安全管理员's */
	/* and no account takes the command line's name in the trail */
	assert_int_equal(rc_proc_user_add(&g.u, "cli", "cli", "某某", "SUB", "承办单位", dg()),
			 RC_ERR_RANGE);
	assert_int_equal(rc_proc_user_add(&g.u, "cli", "-", "某某", "SUB", "承办单位", dg()),
			 RC_ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_messages),
	    cmocka_unit_test(test_activate),
	    cmocka_unit_test(test_rows_name_the_administrator),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
