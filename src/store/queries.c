/*
 * queries.c -- the SQL of every named query (enum rc_query in store.h).
 *
 * One text for both backends: standard SQL that SQLite and PostgreSQL both
 * run.  Parameters are written ?1, ?2 ... (SQLite's numbered form); the
 * PostgreSQL backend turns them into $1, $2 ... when it prepares a
 * statement.  What keeps the text portable: a parameter whose type nothing
 * around it fixes is cast (CAST(?1 AS BIGINT)), booleans are counted with
 * CASE, the audit column "user" (a reserved word in PostgreSQL) is quoted,
 * and rows are ordered by their keys, never by SQLite's rowid.  A backend
 * whose dialect needs another text for a query would keep its own table;
 * none does.
 */
#include "store/store_int.h"

/* The scopes of the case lists (procedure/access.c says whose is which):
 * WITH clause and condition on a case c.  ?1 is the user's organisation
 * for the two that walk the tree down from it, the official's id for a
 * 当事人's. */
#define SCOPE_TREE                                                                                 \
	"WITH RECURSIVE scope(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL "                        \
	"SELECT o.id FROM orgs o JOIN scope ON o.parent_id = scope.id), "
#define BY_HANDLING "c.handling_org_id IN (SELECT id FROM scope) "
#define BY_SUBJECT                                                                                 \
	"(c.org_id IN (SELECT id FROM scope) OR c.person_id IN (SELECT p.id FROM people p "        \
	"WHERE p.org_id IN (SELECT id FROM scope))) "
#define BY_PARTY "c.person_id = CAST(?1 AS BIGINT) "

/* The case list (procedure/views.c): a page of case ids first -- the
 * scope, the filters, newest first, the page's size -- then the columns of
 * those rows only, so that the current deadline (a subquery) and the joins
 * are computed for the page and not for every case of the scope.  Four
 * variants, because an optional filter written "?2 IS NULL OR state = ?2"
 * cannot use the index on (unit, state): with a state, the query that
 * says "state = ?2".  The same for the category (容错情形的类别, ?9): with
 * one, "c.id IN (the current categories' cases)", which the planner may
 * answer from the index on (category, case_id) of the current rows -- a
 * rare category is then found without walking the scope's cases -- or probe
 * case by case, whichever it judges cheaper.  A variant without the
 * parameter still names it ("?9 IS NULL"), so that every variant takes the
 * same nine.  The scopes of the two party roles (所在单位, 当事人) are an
 * official's or a unit's cases, few beside a county's: one query each,
 * with both filters optional. */
#define VIEW_CASES(WITH, SCOPE, STATE, CATEGORY)                                                   \
	WITH "page(id) AS (SELECT c.id FROM cases c WHERE " SCOPE STATE CATEGORY                   \
	     "AND (CAST(?3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM decisions d "                 \
	     "WHERE d.case_id = c.id AND d.outcome = ?3) OR EXISTS (SELECT 1 FROM case_imports i " \
	     "WHERE i.case_id = c.id AND i.outcome = ?3)) "                                        \
	     "AND (CAST(?4 AS TEXT) IS NULL OR c.created_at >= ?4) "                               \
	     "AND (CAST(?5 AS TEXT) IS NULL OR c.created_at < ?5) "                                \
	     "AND (CAST(?6 AS TEXT) IS NULL OR lower(c.code) LIKE lower(?6) ESCAPE '\\' "          \
	     "OR EXISTS (SELECT 1 FROM people p WHERE p.id = c.person_id "                         \
	     "AND p.name LIKE ?6 ESCAPE '\\')) "                                                   \
	     "AND (CAST(?7 AS BIGINT) IS NULL OR c.id < ?7) ORDER BY c.id DESC LIMIT ?8) "         \
	     "SELECT c.code, c.state, p.name, h.code, h.name, c.created_at, "                      \
	     "(SELECT s.due_on FROM case_steps s WHERE s.case_id = c.id ORDER BY s.id DESC "       \
	     "LIMIT 1), COALESCE(d.outcome, i.outcome), c.id, c.policy_series, "                   \
	     "c.policy_version FROM page JOIN cases c ON c.id = page.id "                          \
	     "JOIN orgs h ON h.id = c.handling_org_id LEFT JOIN people p ON p.id = c.person_id "   \
	     "LEFT JOIN decisions d ON d.case_id = c.id "                                          \
	     "LEFT JOIN case_imports i ON i.case_id = c.id ORDER BY c.id DESC"
#define NO_STATE    "AND CAST(?2 AS TEXT) IS NULL "
#define STATE_IS    "AND c.state = ?2 "
#define NO_CATEGORY "AND CAST(?9 AS TEXT) IS NULL "
#define CATEGORY_IS                                                                                \
	"AND c.id IN (SELECT k.case_id FROM recommendation_categories k "                          \
	"WHERE k.category = ?9 AND k.current = 1) "
#define ANY_STATE "AND (CAST(?2 AS TEXT) IS NULL OR c.state = ?2) "
#define ANY_CATEGORY                                                                               \
	"AND (CAST(?9 AS TEXT) IS NULL OR c.id IN (SELECT k.case_id FROM "                         \
	"recommendation_categories k WHERE k.category = ?9 AND k.current = 1)) "

/* My tasks: the cases of a scope at one of the steps the user's role
 * performs, soonest deadline first.  The WITH of SCOPE_TREE ends in ", ":
 * a dummy table closes the list for the 当事人's scope, which has none. */
#define VIEW_TASKS(WITH, SCOPE)                                                                    \
	WITH                                                                                       \
	    "unused(x) AS (SELECT 1) "                                                             \
	    "SELECT c.code, c.state, p.name, h.name, s.due_on, c.policy_series, c.policy_version " \
	    "FROM cases c JOIN orgs h ON h.id = c.handling_org_id "                                \
	    "LEFT JOIN people p ON p.id = c.person_id "                                            \
	    "JOIN case_steps s ON s.id = (SELECT max(id) FROM case_steps WHERE case_id = c.id) "   \
	    "WHERE " SCOPE "AND c.state IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "  \
	    "?14, ?15, ?16, ?17) "                                                                 \
	    "ORDER BY CASE WHEN s.due_on IS NULL THEN 1 ELSE 0 END, s.due_on, c.id LIMIT ?18"

const char *const rc_store_queries[Q__COUNT] = {
    [Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [Q_META_PUT] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
		   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [Q_ORG_INSERT] = "INSERT INTO orgs(code, name, level, parent_id) VALUES (?1, ?2, ?3, ?4)",
    [Q_ORG_BY_CODE] = "SELECT id, name, level, parent_id FROM orgs WHERE code = ?1",
    [Q_ORG_BY_ID] = "SELECT code, name, level, parent_id FROM orgs WHERE id = ?1",
    [Q_ORG_LIST] = "SELECT o.code, o.name, o.level, p.code FROM orgs o "
		   "LEFT JOIN orgs p ON p.id = o.parent_id ORDER BY o.id",
    [Q_PERSON_INSERT] = "INSERT INTO people(name, org_id, post, rank) VALUES (?1, ?2, ?3, ?4)",
    [Q_PERSON_BY_ID] = "SELECT name, org_id, post, rank FROM people WHERE id = ?1",
    [Q_USER_INSERT] = "INSERT INTO users(login, name, org_id, role) VALUES (?1, ?2, ?3, ?4)",
    [Q_USER_BY_LOGIN] =
	"SELECT u.id, u.name, u.org_id, u.role, u.disabled, up.person_id FROM users u "
	"LEFT JOIN user_people up ON up.user_id = u.id WHERE u.login = ?1",
    [Q_CASE_INSERT] =
	"INSERT INTO cases(code, person_id, org_id, start_path, source, accountability_ref, "
	"handling_org_id, committee_org_id, policy_series, policy_version, state, created_at, "
	"updated_at, prepared_by) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
    [Q_CASE_BY_CODE] =
	"SELECT id, person_id, org_id, start_path, source, accountability_ref, handling_org_id, "
	"committee_org_id, policy_series, policy_version, state, created_at, updated_at, "
	"prepared_by, row_version FROM cases WHERE code = ?1",
    [Q_CASE_SET_STATE] = "UPDATE cases SET state = ?1, updated_at = ?2, "
			 "row_version = row_version + 1 WHERE id = ?3 AND row_version = ?4",
    [Q_CASE_LIST] = "SELECT code, state, handling_org_id, created_at FROM cases "
		    "WHERE (CAST(?1 AS BIGINT) IS NULL OR handling_org_id = ?1) "
		    "AND (CAST(?2 AS TEXT) IS NULL OR state = ?2) "
		    "ORDER BY id LIMIT ?3 OFFSET ?4",
    [Q_ORG_WITHIN] = "WITH RECURSIVE up(id) AS (SELECT CAST(?1 AS BIGINT) UNION "
		     "SELECT o.parent_id FROM orgs o JOIN up ON o.id = up.id "
		     "WHERE o.parent_id IS NOT NULL) SELECT 1 FROM up WHERE id = ?2",
    [Q_CASE_COUNT] = "SELECT count(*) FROM cases",
    [Q_STEP_INSERT] = "INSERT INTO case_steps(case_id, step, entered_on, due_on, user_id, note) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_STEPS_OF_CASE] = "SELECT s.step, s.entered_on, s.due_on, u.login, s.note "
			"FROM case_steps s JOIN users u ON u.id = s.user_id "
			"WHERE s.case_id = ?1 ORDER BY s.id",
    [Q_DUE_LIST] =
	"SELECT c.code, c.state, s.due_on, o.code FROM cases c "
	"JOIN case_steps s ON s.id = (SELECT max(id) FROM case_steps WHERE case_id = c.id) "
	"JOIN orgs o ON o.id = c.handling_org_id "
	"WHERE s.due_on IS NOT NULL ORDER BY s.due_on, c.code",
    [Q_FACT_SUPERSEDE] = "UPDATE case_facts SET current = 0 "
			 "WHERE case_id = ?1 AND name = ?2 AND current = 1",
    [Q_FACT_INSERT] = "INSERT INTO case_facts(case_id, name, value_json, user_id, at, evidence, "
		      "disputed, current, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8)",
    [Q_FACTS_CURRENT] = "SELECT f.name, f.value_json, u.login, f.at, f.evidence, f.disputed, "
			"f.reason "
			"FROM case_facts f JOIN users u ON u.id = f.user_id "
			"WHERE f.case_id = ?1 AND f.current = 1 ORDER BY f.id",
    [Q_FACT_HISTORY] = "SELECT f.value_json, u.login, f.at, f.evidence, f.disputed, f.current "
		       "FROM case_facts f JOIN users u ON u.id = f.user_id "
		       "WHERE f.case_id = ?1 AND f.name = ?2 ORDER BY f.id",
    [Q_RECO_INSERT] = "INSERT INTO recommendations(case_id, at, user_id, conduct_on, decision_on, "
		      "applied_version, policy_digest, facts_json, result_json, state, band) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_RECO_LAST] = "SELECT id, state, band, applied_version, at FROM recommendations "
		    "WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
    /* A case's categories move to its newest recommendation: the rows of
     * the earlier ones stay, as history, with current = 0. */
    [Q_CAT_SUPERSEDE] = "UPDATE recommendation_categories SET current = 0 "
			"WHERE case_id = ?1 AND current = 1",
    [Q_CAT_INSERT] = "INSERT INTO recommendation_categories(recommendation_id, "
		     "case_id, category, current) VALUES (?1, ?2, ?3, 1)",
    [Q_DECISION_INSERT] = "INSERT INTO decisions(case_id, recommendation_id, body_org_id, "
			  "meeting_on, outcome, legal_basis, reasons, differs, user_id) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_DECISION_OF_CASE] = "SELECT d.meeting_on, d.outcome, d.legal_basis, d.reasons, d.differs, "
			   "u.login FROM decisions d JOIN users u ON u.id = d.user_id "
			   "WHERE d.case_id = ?1",
    [Q_EFFECT_INSERT] = "INSERT INTO effects(person_id, decision_id, impact_table, sanction, "
			"start_on, end_on, extra_end_on, article) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_EFFECTS_OF_PERSON] = "SELECT e.impact_table, e.sanction, e.start_on, e.end_on, "
			    "e.extra_end_on, e.article, c.code, d.outcome FROM effects e "
			    "JOIN decisions d ON d.id = e.decision_id "
			    "JOIN cases c ON c.id = d.case_id "
			    "WHERE e.person_id = ?1 ORDER BY e.start_on, e.id",
    [Q_CONSULT_INSERT] = "INSERT INTO consultations(case_id, held_on, minutes, user_id, at) "
			 "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_CONSULT_OF_CASE] = "SELECT c.id, c.held_on, c.minutes, u.login, c.at FROM consultations c "
			  "JOIN users u ON u.id = c.user_id WHERE c.case_id = ?1",
    [Q_PARTICIPANT_INSERT] = "INSERT INTO consultation_participants(consultation_id, dept, name, "
			     "recused, reason, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_PARTICIPANTS_OF] = "SELECT p.dept, p.name, p.recused, p.reason, u.login "
			  "FROM consultation_participants p JOIN users u ON u.id = p.user_id "
			  "WHERE p.consultation_id = ?1 ORDER BY p.id",
    [Q_DEPT_STATUS] =
	"SELECT (SELECT count(*) FROM consultation_participants "
	"        WHERE consultation_id = ?1 AND dept = ?2 AND recused = 0), "
	"(SELECT count(*) FROM consultation_participants "
	" WHERE consultation_id = ?1 AND dept = ?2 AND recused = 1), "
	"(SELECT count(*) FROM consultation_opinions WHERE consultation_id = ?1 AND dept = ?2), "
	"(SELECT name FROM consultation_participants "
	" WHERE consultation_id = ?1 AND dept = ?2 AND recused = 1 ORDER BY id LIMIT 1), "
	"(SELECT reason FROM consultation_participants "
	" WHERE consultation_id = ?1 AND dept = ?2 AND recused = 1 ORDER BY id LIMIT 1)",
    [Q_OPINION_INSERT] =
	"INSERT INTO consultation_opinions(consultation_id, dept, opinion, dissent, "
	"user_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_OPINIONS_OF] = "SELECT o.dept, o.opinion, o.dissent, u.login FROM consultation_opinions o "
		      "JOIN users u ON u.id = o.user_id WHERE o.consultation_id = ?1 ORDER BY o.id",
    [Q_NOTICE_INSERT] = "INSERT INTO notifications(case_id, recipient, notified_on, how, user_id) "
			"VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_NOTICES_OF] = "SELECT n.recipient, n.notified_on, n.how, u.login FROM notifications n "
		     "JOIN users u ON u.id = n.user_id WHERE n.case_id = ?1 "
		     "ORDER BY n.notified_on, n.id",
    [Q_APPEAL_INSERT] = "INSERT INTO appeals(case_id, filed_on, appellant, grounds, notified_on, "
			"deadline_on, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_APPEAL_OF_CASE] = "SELECT a.id, a.filed_on, a.appellant, a.grounds, a.notified_on, "
			 "a.deadline_on, u.login FROM appeals a JOIN users u ON u.id = a.user_id "
			 "WHERE a.case_id = ?1",
    [Q_REVIEW_INSERT] = "INSERT INTO reviews(appeal_id, reviewed_on, result, reasons, user_id) "
			"VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_REVIEW_OF_APPEAL] = "SELECT r.reviewed_on, r.result, r.reasons, u.login FROM reviews r "
			   "JOIN users u ON u.id = r.user_id WHERE r.appeal_id = ?1",
    [Q_FILING_INSERT] = "INSERT INTO filings(case_id, org_id, filed_on, user_id) "
			"VALUES (?1, ?2, ?3, ?4)",
    [Q_FILINGS_OF] = "SELECT o.code, o.name, f.filed_on, u.login FROM filings f "
		     "JOIN orgs o ON o.id = f.org_id JOIN users u ON u.id = f.user_id "
		     "WHERE f.case_id = ?1 ORDER BY f.id",
    [Q_TASK_NEXT_NO] =
	"SELECT coalesce(max(no), 0) + 1 FROM rectification_tasks WHERE case_id = ?1",
    [Q_TASK_INSERT] =
	"INSERT INTO rectification_tasks(case_id, no, owner, due_on, what, created_by, "
	"created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_TASK_GET] = "SELECT t.id, t.created_by, t.done_on, t.owner, t.due_on, t.what, u.login "
		   "FROM rectification_tasks t JOIN users u ON u.id = t.created_by "
		   "WHERE t.case_id = ?1 AND t.no = ?2",
    [Q_TASK_DONE] = "UPDATE rectification_tasks SET done_on = ?1, done_by = ?2, verified_by = ?3 "
		    "WHERE id = ?4 AND done_on IS NULL",
    [Q_TASKS_OF] = "SELECT t.no, t.owner, t.due_on, t.what, t.done_on, c.login, v.login "
		   "FROM rectification_tasks t JOIN users c ON c.id = t.created_by "
		   "LEFT JOIN users v ON v.id = t.verified_by "
		   "WHERE t.case_id = ?1 ORDER BY t.no",
    [Q_TASKS_OVERDUE] =
	"SELECT c.code, t.no, t.owner, t.due_on, t.what, o.code FROM rectification_tasks t "
	"JOIN cases c ON c.id = t.case_id "
	"JOIN orgs o ON o.id = c.handling_org_id "
	"WHERE t.done_on IS NULL AND t.due_on < ?1 "
	"ORDER BY t.due_on, c.code, t.no",
    [Q_FOLLOW_UP_INSERT] = "INSERT INTO follow_ups(case_id, visited_on, notes, user_id) "
			   "VALUES (?1, ?2, ?3, ?4)",
    [Q_FOLLOW_UPS_OF] = "SELECT v.visited_on, v.notes, u.login FROM follow_ups v "
			"JOIN users u ON u.id = v.user_id WHERE v.case_id = ?1 "
			"ORDER BY v.visited_on, v.id",
    [Q_PERIOD_OF_CASE] =
	"SELECT count(*), min(e.start_on), max(coalesce(e.extra_end_on, e.end_on)), "
	"sum(CASE WHEN e.end_on IS NULL THEN 1 ELSE 0 END) FROM effects e JOIN decisions d ON d.id "
	"= e.decision_id "
	"WHERE d.case_id = ?1",
    [Q_CLARIFY_INSERT] = "INSERT INTO clarifications(person_id, complaint, state, opened_by, "
			 "opened_at) VALUES (?1, ?2, 'opened', ?3, ?4)",
    [Q_CLARIFY_GET] =
	"SELECT k.person_id, k.state, k.unfounded, k.form, k.scope, k.issued_on, k.filed_on, "
	"k.referred_to, k.opened_by, o.login, p.name, p.org_id, k.complaint, k.opened_at, d.login "
	"FROM clarifications k JOIN people p ON p.id = k.person_id "
	"JOIN users o ON o.id = k.opened_by LEFT JOIN users d ON d.id = k.decided_by "
	"WHERE k.id = ?1",
    [Q_CLARIFY_DECIDE] = "UPDATE clarifications SET unfounded = ?1, form = ?2, scope = ?3, "
			 "state = ?4, decided_by = ?5 WHERE id = ?6 AND state = 'opened'",
    [Q_CLARIFY_ISSUE] = "UPDATE clarifications SET issued_on = ?1, state = 'issued' "
			"WHERE id = ?2 AND state = 'decided'",
    [Q_CLARIFY_FILE] = "UPDATE clarifications SET filed_on = ?1, state = 'filed' "
		       "WHERE id = ?2 AND state = 'issued'",
    [Q_CLARIFY_REFER] = "UPDATE clarifications SET referred_to = ?1, state = 'referred' "
			"WHERE id = ?2 AND state = 'filed'",
    [Q_EVIDENCE_INSERT] = "INSERT INTO evidence(sm3, size, name, user_id, at) "
			  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_EVIDENCE_GET] = "SELECT e.size, e.name, u.login, e.at FROM evidence e "
		       "JOIN users u ON u.id = e.user_id WHERE e.sm3 = ?1",
    [Q_EVIDENCE_ALL] = "SELECT sm3, size FROM evidence ORDER BY sm3",
    [Q_CASE_CODE_TAKEN] = "SELECT 1 FROM cases WHERE code = ?1",
    [Q_CASE_IMPORT] =
	"INSERT INTO cases(code, person_id, org_id, start_path, source, accountability_ref, "
	"handling_org_id, committee_org_id, policy_series, policy_version, state, created_at, "
	"updated_at, prepared_by) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_IMPORT_INSERT] = "INSERT INTO case_imports(case_id, file, row, outcome, decided_on, "
			"user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* The outcome is the committee's decision when the case has one, else the
     * one recorded in the imported history. */
    [Q_CASE_EXPORT] =
	"WITH RECURSIVE sub(id) AS (SELECT CAST(?1 AS BIGINT) UNION "
	"SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) "
	"SELECT c.code, c.person_id, p.name, so.code, c.start_path, c.source, "
	"c.accountability_ref, ho.code, co.code, c.created_at, c.state, c.updated_at, "
	"coalesce(d.outcome, i.outcome), coalesce(d.meeting_on, i.decided_on), c.policy_version, "
	"c.id "
	"FROM cases c JOIN orgs ho ON ho.id = c.handling_org_id "
	"LEFT JOIN people p ON p.id = c.person_id "
	"LEFT JOIN orgs so ON so.id = c.org_id "
	"LEFT JOIN orgs co ON co.id = c.committee_org_id "
	"LEFT JOIN decisions d ON d.case_id = c.id "
	"LEFT JOIN case_imports i ON i.case_id = c.id "
	"WHERE (CAST(?1 AS BIGINT) IS NULL OR c.handling_org_id IN (SELECT id FROM sub)) "
	"AND c.id > ?2 ORDER BY c.id LIMIT ?3",
    [Q_IMPORT_OF_CASE] = "SELECT outcome, decided_on FROM case_imports WHERE case_id = ?1",
    [Q_IDEM_GET] = "SELECT action, object, seq, at FROM idempotency WHERE key = ?1",
    [Q_IDEM_PUT] = "INSERT INTO idempotency(key, action, object, seq, at) "
		   "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_AUDIT_LAST] = "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1",
    [Q_AUDIT_INSERT] = "INSERT INTO audit(seq, at, \"user\", role, org, action, object, before, "
		       "after, request_id, prev_mac, mac) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [Q_AUDIT_PAGE] = "SELECT seq, at, \"user\", role, org, action, object, before, after, "
		     "request_id, prev_mac, mac FROM audit WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
    [Q_USER_AUTH_GET] =
	"SELECT u.id, u.org_id, u.role, u.disabled, u.password_hash, u.totp_secret, "
	"u.totp_pending, u.totp_last_step, u.failed_logins, u.locked_until, "
	"u.must_change_password, o.code, u.login FROM users u JOIN orgs o ON o.id = u.org_id "
	"WHERE u.login = ?1",
    [Q_USER_AUTH_STATE] = "UPDATE users SET failed_logins = ?1, locked_until = ?2, "
			  "totp_last_step = ?3 WHERE id = ?4",
    [Q_USER_PASSWORD_SET] = "UPDATE users SET password_hash = ?1, must_change_password = ?2, "
			    "failed_logins = 0, locked_until = NULL WHERE id = ?3",
    [Q_USER_REHASH] = "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
    [Q_USER_TOTP_PENDING] = "UPDATE users SET totp_pending = ?1, failed_logins = 0, "
			    "locked_until = NULL WHERE id = ?2",
    [Q_USER_TOTP_ENROL] =
	"UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ?1, "
	"failed_logins = 0, locked_until = NULL WHERE id = ?2 AND totp_pending = ?3",
    [Q_USER_DISABLE] = "UPDATE users SET disabled = 1 WHERE id = ?1 AND disabled = 0",
    [Q_USER_ENABLE] = "UPDATE users SET disabled = 0, failed_logins = 0, locked_until = NULL "
		      "WHERE id = ?1 AND disabled = 1",
    [Q_USER_TOTP_RESET] =
	"UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = -1 "
	"WHERE id = ?1 AND (totp_secret IS NOT NULL OR totp_pending IS NOT NULL)",
    [Q_USER_SET_PERSON] = "INSERT INTO user_people(user_id, person_id) VALUES (?1, ?2) "
			  "ON CONFLICT(user_id) DO UPDATE SET person_id = excluded.person_id",
    [Q_USER_ROLE_COUNT] = "SELECT count(*) FROM users WHERE role = ?1",
    [Q_ORG_ROOT] = "SELECT id, code FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1",
    [Q_SESSION_INSERT] = "INSERT INTO sessions(id_hash, user_id, created_at, last_seen_at, "
			 "absolute_expiry_at, idle_timeout_s, revoked) "
			 "VALUES (?1, ?2, ?3, ?3, ?4, ?5, 0)",
    [Q_SESSION_GET] =
	"SELECT s.user_id, s.last_seen_at, s.absolute_expiry_at, s.idle_timeout_s, s.revoked, "
	"u.login, u.role, u.disabled, u.must_change_password, u.org_id, o.code, up.person_id "
	"FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id "
	"LEFT JOIN user_people up ON up.user_id = u.id "
	"WHERE s.id_hash = ?1",
    [Q_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = ?1 WHERE id_hash = ?2 AND revoked = 0",
    [Q_SESSION_REVOKE] = "UPDATE sessions SET revoked = 1 WHERE id_hash = ?1 AND revoked = 0",
    [Q_SESSIONS_REVOKE_USER] = "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 AND revoked = 0 "
			       "AND (CAST(?2 AS TEXT) IS NULL OR id_hash <> ?2)",
    /* The organisation and those below it, then its cases; the outcome is
     * the decision's, or for an imported case the recorded one.  LIKE's
     * wildcards in the search text are escaped by the caller ('\\'). */
    [Q_VIEW_CASES] = VIEW_CASES(SCOPE_TREE, BY_HANDLING, NO_STATE, NO_CATEGORY),
    [Q_VIEW_CASES_STATE] = VIEW_CASES(SCOPE_TREE, BY_HANDLING, STATE_IS, NO_CATEGORY),
    [Q_VIEW_CASES_CAT] = VIEW_CASES(SCOPE_TREE, BY_HANDLING, NO_STATE, CATEGORY_IS),
    [Q_VIEW_CASES_ST_CAT] = VIEW_CASES(SCOPE_TREE, BY_HANDLING, STATE_IS, CATEGORY_IS),
    [Q_VIEW_CASES_UNIT] = VIEW_CASES(SCOPE_TREE, BY_SUBJECT, ANY_STATE, ANY_CATEGORY),
    [Q_VIEW_CASES_PARTY] = VIEW_CASES("WITH ", BY_PARTY, ANY_STATE, ANY_CATEGORY),
    [Q_VIEW_CASE_AUDIT] =
	"SELECT seq, at, \"user\", role, org, action, object, before, after, "
	"request_id FROM audit WHERE object = ?1 OR (object >= ?2 AND object < ?3) "
	"ORDER BY seq LIMIT ?4",
    [Q_VIEW_PEOPLE] =
	"WITH RECURSIVE scope(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL "
	"SELECT o.id FROM orgs o JOIN scope ON o.parent_id = scope.id) "
	"SELECT p.id, p.name, o.code, o.name, p.post, p.rank FROM people p "
	"JOIN orgs o ON o.id = p.org_id WHERE p.org_id IN (SELECT id FROM scope) "
	"AND (CAST(?2 AS TEXT) IS NULL OR p.name LIKE ?2 ESCAPE '\\') ORDER BY p.id LIMIT ?3",
    [Q_VIEW_PERSON_CASES] =
	"WITH RECURSIVE scope(id) AS (SELECT CAST(?2 AS BIGINT) UNION ALL "
	"SELECT o.id FROM orgs o JOIN scope ON o.parent_id = scope.id) "
	"SELECT c.code, c.state, COALESCE(d.outcome, i.outcome), c.created_at "
	"FROM cases c LEFT JOIN decisions d ON d.case_id = c.id "
	"LEFT JOIN case_imports i ON i.case_id = c.id "
	"WHERE c.person_id = ?1 AND (CAST(?3 AS BIGINT) = 1 OR c.handling_org_id IN (SELECT id "
	"FROM scope)) ORDER BY c.id",
    [Q_VIEW_TASKS] = VIEW_TASKS(SCOPE_TREE, BY_HANDLING),
    [Q_VIEW_TASKS_UNIT] = VIEW_TASKS(SCOPE_TREE, BY_SUBJECT),
    [Q_VIEW_TASKS_PARTY] = VIEW_TASKS("WITH ", BY_PARTY),
    [Q_VIEW_ORGS_ABOVE] = "WITH RECURSIVE up(id) AS (SELECT parent_id FROM orgs WHERE id = ?1 "
			  "UNION ALL SELECT o.parent_id FROM orgs o JOIN up ON o.id = up.id "
			  "WHERE o.parent_id IS NOT NULL) "
			  "SELECT o.code, o.name, o.level FROM orgs o JOIN up ON up.id = o.id "
			  "ORDER BY o.id",
    [Q_VIEW_ORGS] = "WITH RECURSIVE scope(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL "
		    "SELECT o.id FROM orgs o JOIN scope ON o.parent_id = scope.id) "
		    "SELECT o.code, o.name, o.level FROM orgs o JOIN scope ON scope.id = o.id "
		    "ORDER BY o.id",
    [Q_VIEW_USERS] = "WITH RECURSIVE scope(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL "
		     "SELECT o.id FROM orgs o JOIN scope ON o.parent_id = scope.id) "
		     "SELECT u.login, u.name, o.code, o.name, u.role, u.disabled, "
		     "CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END, u.locked_until, "
		     "u.must_change_password, up.person_id, p.name FROM users u "
		     "JOIN orgs o ON o.id = u.org_id LEFT JOIN user_people up ON up.user_id = u.id "
		     "LEFT JOIN people p ON p.id = up.person_id "
		     "WHERE u.org_id IN (SELECT id FROM scope) ORDER BY u.id",
    [Q_VIEW_CLARIFICATIONS] =
	"WITH RECURSIVE scope(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL "
	"SELECT o.id FROM orgs o JOIN scope ON o.parent_id = scope.id) "
	"SELECT k.id, p.name, o.name, k.state, k.opened_at, k.unfounded FROM clarifications k "
	"JOIN people p ON p.id = k.person_id JOIN orgs o ON o.id = p.org_id "
	"WHERE p.org_id IN (SELECT id FROM scope) ORDER BY k.id DESC LIMIT ?2",
    [Q_VIEW_AUDIT] = "SELECT seq, at, \"user\", role, org, action, object FROM audit "
		     "WHERE (CAST(?1 AS BIGINT) IS NULL OR seq < ?1) ORDER BY seq DESC LIMIT ?2",
    [Q_SESSIONS_PURGE] = "DELETE FROM sessions WHERE user_id = ?1 "
			 "AND (revoked = 1 OR absolute_expiry_at <= ?2)",
    [Q_TOKEN_INSERT] = "INSERT INTO api_tokens(id_hash, user_id, label, created_at, expires_at, "
		       "revoked) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
    [Q_TOKEN_GET] = "SELECT t.id, t.user_id, t.expires_at, t.revoked, u.login, u.role, u.disabled, "
		    "u.must_change_password, u.org_id, o.code, up.person_id "
		    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
		    "JOIN orgs o ON o.id = u.org_id LEFT JOIN user_people up ON up.user_id = u.id "
		    "WHERE t.id_hash = ?1",
    [Q_TOKEN_BY_ID] = "SELECT t.user_id, t.label, t.revoked, u.login, t.expires_at "
		      "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?1",
    [Q_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND revoked = 0",
    [Q_TOKEN_LIST] = "SELECT t.id, u.login, t.label, t.created_at, t.expires_at, t.revoked "
		     "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id > ?1 "
		     "ORDER BY t.id LIMIT ?2",
};
