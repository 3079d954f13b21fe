/*
 * demo.c -- the demo data (demo.h): an invented province, its officials,
 * one user per role of the procedure, and cases at every step.
 *
 * The data is tables, and one function walks a case along the shipped
 * procedure (policies/zhejiang-2023.rcp) up to the stage its row names,
 * through the same calls the command line and the web pages make.  Dates
 * are offsets from the day a case was opened, and that day is chosen so
 * that the case's last record lies `idle` days before `today`: a case left
 * long enough at a step with a deadline is overdue, as in real life.
 *
 * The second half is `rongcuo demo`, the command that loads it without the
 * server.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/demo.h"
#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "policy/policy.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Who the registry's changes are recorded as: no user exists yet. */
#define DEMO_ACTOR "demo"

/* ---- the registry ------------------------------------------------------- */

static const struct demo_org {
	const char *code, *name, *level, *parent;
} orgs[] = {
    {"SL", "示例省", "province", NULL},
    {"YB", "样板市", "city", "SL"},
    {"DH", "东湖县", "county", "YB"},
    {"XS", "西山县", "county", "YB"},
    {"DHFGJ", "东湖县发展和改革局", "unit", "DH"},
    {"DHZRJ", "东湖县自然资源和规划局", "unit", "DH"},
    {"DHJDB", "东湖县城东街道办事处", "unit", "DH"},
    {"XSJTJ", "西山县交通运输局", "unit", "XS"},
    {"XSQSZ", "西山县青石镇人民政府", "unit", "XS"},
};

/* The officials, the subjects of the cases; the cases name them by index. */
enum {
	P_ZHANGSAN,
	P_MALI,
	P_DENGHUI,
	P_LIUYANG,
	P_HEPING,
	P_XUKE,
	P_SONGTAO,
	P_XIEMIN,
	P_GUOLIANG,
	P_CHENJING,
	P_LUOBIN,
	P_HUANGHAI,
	N_PEOPLE
};

static const struct demo_person {
	const char *name, *org, *post, *rank;
} people[N_PEOPLE] = {
    [P_ZHANGSAN] = {"张三", "DHFGJ", "副局长", "副科级"},
    [P_MALI] = {"马力", "DHFGJ", "科长", "四级主任科员"},
    [P_DENGHUI] = {"邓辉", "DHFGJ", "科员", "一级科员"},
    [P_LIUYANG] = {"刘洋", "DHZRJ", "科长", "四级主任科员"},
    [P_HEPING] = {"何平", "DHZRJ", "局长", "正科级"},
    [P_XUKE] = {"许可", "DHZRJ", "副局长", "副科级"},
    [P_SONGTAO] = {"宋涛", "DHJDB", "主任", "正科级"},
    [P_XIEMIN] = {"谢敏", "DHJDB", "副主任", "副科级"},
    [P_GUOLIANG] = {"郭亮", "DHJDB", "科员", "一级科员"},
    [P_CHENJING] = {"陈静", "XSJTJ", "副局长", "副科级"},
    [P_LUOBIN] = {"罗斌", "XSJTJ", "科长", "四级主任科员"},
    [P_HUANGHAI] = {"黄海", "XSQSZ", "镇长", "正科级"},
};

/* One user per role the shipped procedure names, placed where that role
 * sits: the handling units and their committees in the two sibling
 * counties, the departments of the consultation in 东湖县, the superior
 * organisation and discipline departments (备案) in the city; a second
 * 党委 (the city's) who may also decide 东湖县's cases, and a second 纪检
 * (the city's) who decides the clarification another opened (four eyes). */
static const struct demo_user {
	const char *login, *name, *org, *role;
} users[] = {
    {"zhangsan", "张三", "DHFGJ", "当事人"}, {"fenger", "冯二", "DHFGJ", "所在单位"},
    {"lisi", "李四", "DH", "承办单位"},      {"zhaoliu", "赵六", "XS", "承办单位"},
    {"wangwu", "王五", "DH", "党委"},        {"qianqi", "钱七", "XS", "党委"},
    {"chensan", "陈三", "YB", "党委"},       {"sunba", "孙八", "DH", "纪检"},
    {"weisi", "卫四", "YB", "纪检"},         {"zhoujiu", "周九", "DH", "组织"},
    {"wushi", "吴十", "DH", "信访"},         {"zhengyi", "郑一", "DH", "审计"},
    {"hanba", "韩八", "DH", "行业主管部门"}, {"yangjiu", "杨九", "DH", "第三方机构"},
    {"zhushi", "朱十", "DH", "法律顾问"},    {"jiangliu", "蒋六", "YB", "上级组织部门"},
    {"shenqi", "沈七", "YB", "上级纪委"},
};

/* The steps the cases are walked through: the shipped policy's names. */
static const char *const demo_steps[] = {"启动",     "受理", "不予受理", "调查核实",
					 "会商研判", "认定", "告知",     "申诉复核",
					 "结果运用", "备案", "纠错",     "回访"};

/* ---- facts ------------------------------------------------------------- */

struct kv {
	const char *name, *value;
};

struct finding {
	const char *standard, *grade, *reason;
};

/* What 调查核实 found, by the case's handling unit; 谋取私利 is set apart,
 * by the county's 纪检 (a fact has the provenance of who recorded it). */
struct fact_set {
	const struct kv *facts;         /* ends with a NULL name */
	const struct finding *findings; /* idem */
	/* A complete set also rules on the four general conditions and the
	 * four enabled exclusions: all false but 造成严重后果 and 违反禁止性
	 * 规定, which take these values.  NULL: not yet investigated. */
	const char *serious, *banned;
};

/* The rest of the general conditions and enabled exclusions, false in every
 * complete set (谋取私利 is the 纪检's). */
static const char *const no_fault[] = {"触犯纪法红线", "明知故犯", "与中央决策部署不符", "形象工程",
				       "拒不整改"};

/* 一、改革创新类, SEED situation, favourable findings: 不予或者免于追究责任. */
static const struct kv facts_business[] = {
    {"营商环境领域", "true"}, {"突破常规探索", "true"}, {"损失金额", "30"}, {NULL, NULL}};
static const struct finding findings_good[] = {
    {"动机态度", "有利", "出于推动工作的公心,未谋取私利"},
    {"客观条件", "有利", "无先例可循,上级未作明确限制"},
    {"程序流程", "一般", "经集体研究,部分材料事后补齐"},
    {"问题性质", "一般", "属工作失误"},
    {"后果影响", "一般", "损失较小且可控"},
    {"补救情况", "有利", "发现后立即纠正,损失已挽回"},
    {NULL, NULL, NULL}};

/* 四、应急处突类: 突发事件临机决断, favourable: 不予或者免于追究责任. */
static const struct kv facts_emergency[] = {{"突发事件处置", "true"},
					    {"临机决断", "true"},
					    {"事后及时报告", "true"},
					    {"损失金额", "15"},
					    {NULL, NULL}};
static const struct finding findings_emergency[] = {
    {"动机态度", "有利", "为保障群众生命财产安全临机决断"},
    {"客观条件", "不利", "灾情紧急,来不及请示"},
    {"程序流程", "一般", "未事先审批,事后及时补报"},
    {"问题性质", "一般", "属程序失误"},
    {"后果影响", "一般", "未造成人员伤亡"},
    {"补救情况", "有利", "事后已补办手续并补偿损失"},
    {NULL, NULL, NULL}};

/* 一、改革先行先试, mixed findings: 免于或者减轻追究责任. */
static const struct kv facts_reform[] = {
    {"推进改革", "true"}, {"缺乏经验", "true"}, {"损失金额", "80"}, {NULL, NULL}};
static const struct finding findings_mixed[] = {{"动机态度", "有利", "为推进改革先行先试"},
						{"客观条件", "一般", "有外地经验可参考"},
						{"程序流程", "一般", "履行了主要程序"},
						{"问题性质", "一般", "属工作失误"},
						{"后果影响", "一般", "影响范围有限"},
						{"补救情况", "一般", "损失已部分挽回"},
						{NULL, NULL, NULL}};

/* A general condition fails (造成严重后果), remedied in time: 问责条例 第十八条,
 * 从轻或者减轻追究责任. */
static const struct kv facts_serious[] = {
    {"营商环境领域", "true"}, {"突破常规探索", "true"}, {"损失金额", "260"}, {NULL, NULL}};
static const struct finding findings_remedied[] = {
    {"动机态度", "有利", "出于招商引资的公心"},
    {"客观条件", "一般", "市场变化有一定可预见性"},
    {"程序流程", "不利", "未经集体研究即作出承诺"},
    {"问题性质", "一般", "属决策失误"},
    {"后果影响", "不利", "造成较大国有资产损失"},
    {"补救情况", "有利", "积极追偿,已挽回大部分损失"},
    {NULL, NULL, NULL}};

/* 不予容错情形一 (违反禁止性规定) blocks the situation: 不予容错. */
static const struct kv facts_banned[] = {
    {"营商环境领域", "true"}, {"突破常规探索", "true"}, {"损失金额", "120"}, {NULL, NULL}};
static const struct finding findings_banned[] = {{"动机态度", "一般", "急于完成项目进度"},
						 {"客观条件", "一般", "有明确法律规定可循"},
						 {"程序流程", "不利", "未履行法定招标程序"},
						 {"问题性质", "不利", "违反法律强制性规定"},
						 {"后果影响", "一般", "工程质量未受影响"},
						 {"补救情况", "有利", "已停工整改并重新招标"},
						 {NULL, NULL, NULL}};

/* Half-way through 调查核实: a situation found, the rest still open. */
static const struct kv facts_partial[] = {
    {"突发事件处置", "true"}, {"临机决断", "true"}, {"损失金额", "12"}, {NULL, NULL}};
static const struct finding findings_partial[] = {{"动机态度", "有利", "为防汛抢险临机调用物资"},
						  {NULL, NULL, NULL}};

static const struct fact_set set_business = {facts_business, findings_good, "false", "false"};
static const struct fact_set set_emergency = {facts_emergency, findings_emergency, "false",
					      "false"};
static const struct fact_set set_reform = {facts_reform, findings_mixed, "false", "false"};
static const struct fact_set set_serious = {facts_serious, findings_remedied, "true", "false"};
static const struct fact_set set_banned = {facts_banned, findings_banned, "false", "true"};
static const struct fact_set set_partial = {facts_partial, findings_partial, NULL, NULL};

/* ---- the cases --------------------------------------------------------- */

/* How far a case is walked, in the procedure's order. */
enum stage {
	ST_OPEN,        /* 启动 */
	ST_ACCEPT,      /* 受理 */
	ST_INVESTIGATE, /* 调查核实, with the facts found so far */
	ST_CONSULT,     /* 会商研判, the consultation under way */
	ST_DECIDE,      /* 认定, with the recommendation, not decided */
	ST_DECIDED,     /* 认定, decided */
	ST_NOTIFY,      /* 告知, notified */
	ST_APPEAL,      /* 申诉复核, appealed and reviewed */
	ST_USE,         /* 结果运用 */
	ST_FILE,        /* 备案, filed */
	ST_RECTIFY,     /* 纠错, tasks open and done */
	ST_FOLLOW_UP,   /* 回访, visited */
	ST__COUNT
};

/* The step a case at each stage is at. */
static const char *const stage_step[ST__COUNT] = {"启动",     "受理", "调查核实", "会商研判",
						  "认定",     "认定", "告知",     "申诉复核",
						  "结果运用", "备案", "纠错",     "回访"};

/* Days after the opening at which each record is made. */
enum {
	OFF_ACCEPT = 1,
	OFF_INVESTIGATE = 3,
	OFF_WITHDRAW = 5,
	OFF_CONSULT = 30,
	OFF_HELD = 33,
	OFF_DECIDE = 40,
	OFF_MEETING = 42,
	OFF_NOTIFY = 44,
	OFF_NOTIFIED = 45,
	OFF_APPEAL = 50,
	OFF_REVIEW = 60,
	OFF_USE = 62,
	OFF_FILE = 64,
	OFF_FILED = 66,
	OFF_RECTIFY = 70,
	OFF_TASK_DUE = 100,
	OFF_TASK_DONE = 95,
	OFF_VISIT_STEP = 120,
	OFF_VISIT = 125,
	OFF_CONDUCT = -45 /* 失误发生日期 */
};

/* The day of a stage's last record, after the opening. */
static const int stage_end[ST__COUNT] = {0,          OFF_ACCEPT,  OFF_INVESTIGATE, OFF_HELD,
					 OFF_DECIDE, OFF_MEETING, OFF_NOTIFIED,    OFF_REVIEW,
					 OFF_USE,    OFF_FILED,   OFF_TASK_DONE,   OFF_VISIT};

enum ending { GO_ON, REJECTED, WITHDRAWN };

enum { C_DH, C_XS }; /* the counties below */

/* Who acts in a county's cases.  Only 东湖县 has the departments (组织,
 * 纪检) that carry a case past 申诉复核: 西山县's cases stop before. */
static const struct county {
	const char *code, *name;
	const char *preparer;  /* 承办单位: opens, investigates, notifies, files */
	const char *committee; /* 党委: 认定 and the review of an appeal */
	const char *inspector; /* 纪检: 谋取私利, 回访; NULL: the preparer's facts only */
	const char *organiser; /* 组织: 结果运用, and verifies rectification */
	const char *dept_people[4]; /* the consultation's 纪检, 组织, 信访, 审计 */
} counties[] = {
    [C_DH] =
	{"DH", "东湖县", "lisi", "wangwu", "sunba", "zhoujiu", {"孙八", "周九", "吴十", "郑一"}},
    [C_XS] = {"XS", "西山县", "zhaoliu", "qianqi", NULL, NULL, {"褚明", "卫东", "蒋华", "沈丽"}},
};

static const char *const consult_depts[4] = {"纪检", "组织", "信访", "审计"};
static const char *const consult_opinions[4] = {
    "经核查,未发现谋取私利、明知故犯情形", "同意按六条标准逐项研判的结论",
    "未收到与本案相关的信访件", "相关资金往来清楚,已核对账目"};

/* Variations that show a record the other cases do not have. */
#define F_RECUSE  1 /* 审计's participant recuses (回避) */
#define F_DISSENT 2 /* 组织's opinion carries a dissent (不同意见) */

static const struct demo_case {
	int county;       /* C_DH or C_XS */
	int person;       /* index into people[], or -1: the unit below */
	const char *unit; /* the unit concerned, when no official is */
	const char *path, *source;
	enum stage stage;
	enum ending ending;
	int idle; /* days from the last record to today */
	const struct fact_set *facts;
	const char *story; /* 情况说明 */
	const char *outcome, *sanction_table, *sanction;
	int appeal; /* carried through 申诉复核 (appeal and review) */
	int flags;
	const char *what; /* printed beside the case */
} cases[] = {
    {.county = C_DH,
     .person = P_LIUYANG,
     .path = "application",
     .source = "监管执法",
     .stage = ST_OPEN,
     .idle = 1,
     .what = "依申请,刚提出容错申请,待受理"},
    {.county = C_DH,
     .person = -1,
     .unit = "DHZRJ",
     .path = "ex_officio",
     .source = "审计",
     .stage = ST_ACCEPT,
     .idle = 20,
     .what = "依职权(审计发现),涉及单位,受理期限已过 [逾期]"},
    {.county = C_XS,
     .person = P_CHENJING,
     .path = "application",
     .source = "干部考核",
     .stage = ST_ACCEPT,
     .idle = 1,
     .what = "依申请,已受理"},
    {.county = C_XS,
     .person = P_HUANGHAI,
     .path = "application",
     .source = "其他",
     .stage = ST_ACCEPT,
     .ending = REJECTED,
     .idle = 2,
     .what = "不予受理:所涉问题与履职无关"},
    {.county = C_DH,
     .person = P_MALI,
     .path = "ex_officio",
     .source = "巡视巡察",
     .stage = ST_INVESTIGATE,
     .idle = 7,
     .facts = &set_partial,
     .story = "汛期转移群众时临机调用防汛物资,未按程序审批,造成部分物资损耗",
     .what = "调查核实中,已录入部分事实"},
    {.county = C_DH,
     .person = P_XIEMIN,
     .path = "application",
     .source = "监督执纪",
     .stage = ST_CONSULT,
     .idle = 3,
     .facts = &set_emergency,
     .story = "台风过境时临机决定提前封闭园区道路,事后及时报告,造成部分企业停工损失",
     .what = "会商研判中:已开会商会,待组织、信访、审计书面意见"},
    {.county = C_DH,
     .person = P_SONGTAO,
     .path = "ex_officio",
     .source = "监管执法",
     .stage = ST_DECIDE,
     .idle = 25,
     .facts = &set_reform,
     .story = "推进“最多跑一次”改革中先行先试容缺受理,因经验不足出现审核疏漏",
     .what = "待党委认定,已有推荐意见,认定期限已过 [逾期]"},
    {.county = C_DH,
     .person = P_HEPING,
     .path = "application",
     .source = "监管执法",
     .stage = ST_DECIDED,
     .idle = 5,
     .facts = &set_emergency,
     .story = "山洪灾害中临机决断组织转移,征用民房未履行审批程序,事后及时补报",
     .outcome = "不予追究责任",
     .what = "已认定:不予追究责任,待告知"},
    {.county = C_DH,
     .person = P_XUKE,
     .path = "ex_officio",
     .source = "干部考核",
     .stage = ST_NOTIFY,
     .idle = 2,
     .facts = &set_business,
     .story = "试行企业开办“一件事”联办,突破常规流程,出现审批失误",
     .outcome = "免于追究责任",
     .what = "已认定:免于追究责任,已书面告知"},
    {.county = C_XS,
     .person = P_LUOBIN,
     .path = "ex_officio",
     .source = "审计",
     .stage = ST_APPEAL,
     .idle = 10,
     .facts = &set_banned,
     .story = "推行工程项目“先建后验”试点,未履行法定招标程序",
     .outcome = "不予容错",
     .sanction_table = "政务处分",
     .sanction = "记过",
     .appeal = 1,
     .what = "已认定:不予容错(政务处分 记过),当事人申诉,复核维持"},
    {.county = C_DH,
     .person = P_DENGHUI,
     .path = "ex_officio",
     .source = "监督执纪",
     .stage = ST_USE,
     .idle = 15,
     .facts = &set_reform,
     .story = "推进基层治理改革试点中缺乏经验,项目资金拨付进度失误",
     .outcome = "减轻追究责任",
     .sanction_table = "政务处分",
     .sanction = "警告",
     .flags = F_DISSENT,
     .what = "已认定:减轻追究责任(政务处分 警告),结果运用中"},
    {.county = C_DH,
     .person = P_LIUYANG,
     .path = "ex_officio",
     .source = "监管执法",
     .stage = ST_FILE,
     .idle = 4,
     .facts = &set_serious,
     .story = "优化营商环境中探索“标准地”出让新模式,突破常规,造成较大损失,事后积极挽回",
     .outcome = "从轻追究责任",
     .sanction_table = "党纪处分",
     .sanction = "警告",
     .what = "已认定:从轻追究责任(党纪处分 警告),已报样板市备案"},
    {.county = C_DH,
     .person = P_GUOLIANG,
     .path = "application",
     .source = "其他",
     .stage = ST_RECTIFY,
     .idle = 25,
     .facts = &set_business,
     .story = "优化营商环境中试行“承诺即入驻”,对一家企业资质审核失误",
     .outcome = "免于追究责任",
     .what = "已认定:免于追究责任,纠错任务一项完成、两项未完成(其一逾期)"},
    {.county = C_DH,
     .person = P_ZHANGSAN,
     .path = "application",
     .source = "监管执法",
     .stage = ST_FOLLOW_UP,
     .idle = 20,
     .facts = &set_reform,
     .story = "推进改革中因缺乏经验先行先试,政府投资项目预算执行出现偏差",
     .outcome = "减轻追究责任",
     .sanction_table = "党纪处分",
     .sanction = "警告",
     .appeal = 1,
     .flags = F_RECUSE,
     .what = "全流程:减轻追究责任(党纪处分 警告),申诉复核维持,已纠错,影响期内回访"},
    {.county = C_DH,
     .person = P_MALI,
     .path = "application",
     .source = "其他",
     .stage = ST_ACCEPT,
     .ending = WITHDRAWN,
     .idle = 6,
     .what = "申请人撤回容错申请(撤回申请)"},
};

/* ---- the walk ---------------------------------------------------------- */

struct demo {
	struct rc_unit u; /* the caller's, without its idempotency key */
	const struct rc_policy_set *set;
	const struct rc_cal *cal;
	int32_t today;
	struct rc_diags *d;
	int64_t person_id[N_PEOPLE];
	char doing[256]; /* what was being made, for the note on failure */
};

static void doing(struct demo *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void doing(struct demo *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->doing, sizeof(x->doing), fmt, ap);
	va_end(ap);
}

#define TRY(call)                                                                                  \
	do {                                                                                       \
		if ((e = (call)) != RC_OK)                                                         \
			goto out;                                                                  \
	} while (0)

/* The facts of 调查核实: the recorded basics, the set's facts and findings by
 * the handling unit, 谋取私利 by the county's 纪检. */
static enum rc_err record_facts(struct demo *x, const struct rc_policy *p, const struct county *k,
				const struct demo_case *c, const char *code, int32_t d0)
{
	const struct fact_set *fs = c->facts;
	char conduct[RC_DATE_STRLEN];
	enum rc_err e = RC_OK;
	rc_date_format(d0 + OFF_CONDUCT, conduct);
	const struct kv basics[] = {
	    {"案件来源", c->source},
	    {"启动方式", strcmp(c->path, "application") == 0 ? "依申请" : "依职权"},
	    {"失误发生日期", conduct},
	    {"情况说明", c->story}};
	for (size_t i = 0; i < COUNT(basics); i++) {
		doing(x, "case %s: fact %s", code, basics[i].name);
		TRY(rc_proc_case_fact(&x->u, p, k->preparer, code, basics[i].name, basics[i].value,
				      "调查核实报告", NULL, 0, x->d));
	}
	for (const struct kv *f = fs->facts; f->name; f++) {
		doing(x, "case %s: fact %s", code, f->name);
		TRY(rc_proc_case_fact(&x->u, p, k->preparer, code, f->name, f->value,
				      "调查核实报告", NULL, 0, x->d));
	}
	for (size_t i = 0; fs->serious && i < COUNT(no_fault) + 2; i++) {
		const char *name = i < COUNT(no_fault)    ? no_fault[i]
				   : i == COUNT(no_fault) ? "造成严重后果"
							  : "违反禁止性规定";
		const char *value = i < COUNT(no_fault)    ? "false"
				    : i == COUNT(no_fault) ? fs->serious
							   : fs->banned;
		doing(x, "case %s: fact %s", code, name);
		TRY(rc_proc_case_fact(&x->u, p, k->preparer, code, name, value, "调查核实报告",
				      NULL, 0, x->d));
	}
	doing(x, "case %s: fact 谋取私利", code);
	TRY(rc_proc_case_fact(&x->u, p, k->inspector ? k->inspector : k->preparer, code, "谋取私利",
			      "false", "银行流水核查记录", NULL, 0, x->d));
	for (const struct finding *g = fs->findings; g->standard; g++) {
		doing(x, "case %s: finding %s", code, g->standard);
		TRY(rc_proc_case_fact(&x->u, p, k->preparer, code, g->standard, g->grade,
				      "调查核实报告", g->reason, 0, x->d));
	}
out:
	return e;
}

/* 会商研判: the consultation, its participants and their opinions -- all
 * four required departments when the case goes on to 认定, only some when it
 * stays (`under_way`). */
static enum rc_err consult(struct demo *x, const struct rc_policy *p, const struct county *k,
			   const struct demo_case *c, const char *code, int32_t d0, int under_way)
{
	enum rc_err e = RC_OK;
	doing(x, "case %s: consultation", code);
	TRY(rc_proc_consult_open(&x->u, p, k->preparer, code, d0 + OFF_HELD,
				 under_way
				     ? "第一次会商:纪检监察机关介绍调查核实情况,待各部门书面意见"
				     : "会商纪要:各方对照六条标准逐项研判,形成一致意见报党委认定",
				 x->d));
	for (int i = 0; i < 4; i++) {
		int recuse = (c->flags & F_RECUSE) && i == 3;
		if (under_way && i == 3)
			break; /* 审计 has not come yet */
		doing(x, "case %s: participant %s", code, consult_depts[i]);
		TRY(rc_proc_consult_participant(&x->u, p, k->preparer, code, consult_depts[i],
						k->dept_people[i], recuse,
						recuse ? "与当事人系近亲属" : NULL, x->d));
		if (recuse || (under_way && i > 0))
			continue; /* a recusal gives no opinion; 组织, 信访 are writing */
		doing(x, "case %s: opinion of %s", code, consult_depts[i]);
		TRY(rc_proc_consult_opinion(
		    &x->u, p, k->preparer, code, consult_depts[i], consult_opinions[i],
		    (c->flags & F_DISSENT) && i == 1 ? "认为补救情况仅属一般,建议从重考虑" : NULL,
		    x->d));
	}
out:
	return e;
}

static const char *legal_basis(const char *outcome)
{
	if (strcmp(outcome, "不予容错") == 0)
		return "《实施办法》不予容错情形";
	if (strcmp(outcome, "减轻追究责任") == 0 || strcmp(outcome, "从轻追究责任") == 0)
		return "《中国共产党问责条例》第十八条";
	return "《实施办法》容错情形;《中国共产党问责条例》第十七条";
}

static enum rc_err step(struct demo *x, const struct rc_policy *p, const char *actor,
			const char *code, const char *next, const char *note, int32_t on)
{
	doing(x, "case %s: step %s by %s", code, next, actor);
	return rc_proc_case_step(&x->u, p, x->cal, actor, code, next, note, on, x->d);
}

/* The day case c is opened: its last record lies c->idle days before today. */
static int32_t opened_on(const struct demo *x, const struct demo_case *c)
{
	int last = c->ending == REJECTED    ? OFF_ACCEPT
		   : c->ending == WITHDRAWN ? OFF_WITHDRAW
					    : stage_end[c->stage];
	return x->today - last - c->idle;
}

/* Open case c and walk it to its stage (check_policy vouched for the version
 * in force on its opening); its code to code[len]. */
static enum rc_err walk(struct demo *x, const struct demo_case *c, char *code, size_t len)
{
	const struct county *k = &counties[c->county];
	int32_t d0 = opened_on(x, c);
	const struct rc_policy *p = rc_policy_set_at(x->set, d0);
	const char *who = c->person >= 0 ? people[c->person].name : c->unit;
	char ds[RC_DATE_STRLEN], de[RC_DATE_STRLEN];
	enum rc_err e = RC_OK;
	code[0] = '\0';
	rc_date_format(d0, ds);
	doing(x, "a case about %s opened on %s", who, ds);
	struct rc_case_new n = {.person_id = c->person >= 0 ? x->person_id[c->person] : 0,
				.subject_org = c->person >= 0 ? NULL : c->unit,
				.start_path = c->path,
				.source = c->source,
				.handling_org = k->code,
				.committee_org = k->code};
	TRY(rc_proc_case_open(&x->u, p, x->cal, k->preparer, &n, d0, code, len, x->d));
	if (c->ending == REJECTED) {
		TRY(step(x, p, k->preparer, code, "不予受理",
			 "所涉问题系个人违规行为,与履职无关,不属于容错受理范围;已书面告知申请人",
			 d0 + OFF_ACCEPT));
		goto out;
	}
	if (c->stage == ST_OPEN)
		goto out;
	TRY(step(x, p, k->preparer, code, "受理", "材料齐全,予以受理", d0 + OFF_ACCEPT));
	if (c->ending == WITHDRAWN) {
		doing(x, "case %s: withdrawal", code);
		TRY(rc_proc_case_withdraw(&x->u, p, k->preparer, code,
					  "申请人以书面形式撤回容错申请", d0 + OFF_WITHDRAW, x->d));
		goto out;
	}
	if (c->stage == ST_ACCEPT)
		goto out;
	TRY(step(x, p, k->preparer, code, "调查核实", "成立调查组", d0 + OFF_INVESTIGATE));
	if (c->facts)
		TRY(record_facts(x, p, k, c, code, d0));
	if (c->stage == ST_INVESTIGATE)
		goto out;
	TRY(step(x, p, k->preparer, code, "会商研判", "调查核实完毕,提请会商", d0 + OFF_CONSULT));
	TRY(consult(x, p, k, c, code, d0, c->stage == ST_CONSULT));
	if (c->stage == ST_CONSULT)
		goto out;
	rc_date_format(d0 + OFF_CONDUCT, ds);
	rc_date_format(d0 + OFF_MEETING, de);
	doing(x, "case %s: recommendation", code);
	TRY(rc_proc_case_recommend(&x->u, p, x->set, k->preparer, code, ds, de, NULL, x->d));
	TRY(step(x, p, k->committee, code, "认定", "提请党委(党组)集体研究", d0 + OFF_DECIDE));
	if (c->stage == ST_DECIDE)
		goto out;
	struct rc_decision dec = {.outcome = c->outcome,
				  .meeting_on = d0 + OFF_MEETING,
				  .legal_basis = legal_basis(c->outcome),
				  .sanction_table = c->sanction_table,
				  .sanction = c->sanction};
	doing(x, "case %s: decision %s", code, c->outcome);
	TRY(rc_proc_case_decide(&x->u, p, k->committee, code, &dec, x->d));
	if (c->stage == ST_DECIDED)
		goto out;
	TRY(step(x, p, k->preparer, code, "告知", "印发认定决定", d0 + OFF_NOTIFY));
	doing(x, "case %s: notification", code);
	TRY(rc_proc_case_notify(&x->u, p, k->preparer, code, who, d0 + OFF_NOTIFIED, "书面", x->d));
	if (c->stage == ST_NOTIFY)
		goto out;
	if (c->appeal) {
		TRY(step(x, p, k->preparer, code, "申诉复核", "当事人提出申诉", d0 + OFF_APPEAL));
		doing(x, "case %s: appeal", code);
		TRY(rc_proc_case_appeal(&x->u, p, x->cal, k->preparer, code, d0 + OFF_APPEAL, who,
					"认为失误系改革探索所致,处理偏重", NULL, x->d));
		doing(x, "case %s: review", code);
		TRY(rc_proc_case_review(&x->u, p, x->cal, k->committee, code, d0 + OFF_REVIEW,
					"维持", "经复核,原认定事实清楚、依据充分,维持原决定",
					x->d));
	}
	if (c->stage == ST_APPEAL)
		goto out;
	TRY(step(x, p, k->organiser, code, "结果运用", "认定结果记入干部档案,按规定运用",
		 d0 + OFF_USE));
	if (c->stage == ST_USE)
		goto out;
	TRY(step(x, p, k->preparer, code, "备案", "报上级组织部门、纪委备案", d0 + OFF_FILE));
	/* the superior departments take the filing themselves: their roles
	 * perform 备案 too, from the city above the county */
	doing(x, "case %s: filing", code);
	TRY(rc_proc_case_file(&x->u, p, c->stage == ST_FILE ? "jiangliu" : "shenqi", code, "YB",
			      d0 + OFF_FILED, x->d));
	if (c->stage == ST_FILE)
		goto out;
	TRY(step(x, p, k->preparer, code, "纠错", "制定整改措施", d0 + OFF_RECTIFY));
	int no = 0;
	doing(x, "case %s: rectification task", code);
	TRY(rc_proc_task_add(&x->u, p, k->preparer, code, "相关业务科室", d0 + OFF_TASK_DUE,
			     "修订审批流程,补齐集体研究材料", &no, x->d));
	if (c->stage == ST_RECTIFY) {
		/* one open in time, one open and overdue (listed by `case due`) */
		TRY(rc_proc_task_add(&x->u, p, k->preparer, code, "分管领导", x->today + 30,
				     "举一反三开展同类事项排查", &no, x->d));
		TRY(rc_proc_task_add(&x->u, p, k->preparer, code, "办公室", x->today - 10,
				     "建立容缺受理事项清单制度", &no, x->d));
	}
	doing(x, "case %s: task 1 done", code);
	TRY(rc_proc_task_done(&x->u, p, k->preparer, code, 1, d0 + OFF_TASK_DONE, k->organiser,
			      x->d));
	if (c->stage == ST_RECTIFY)
		goto out;
	TRY(step(x, p, k->inspector, code, "回访", "影响期内回访", d0 + OFF_VISIT_STEP));
	doing(x, "case %s: follow-up visit", code);
	TRY(rc_proc_case_follow_up(&x->u, p, k->inspector, code, d0 + OFF_VISIT,
				   "思想稳定,工作积极,已认真汲取教训", x->d));
out:
	return e;
}

/* 澄清正名: an unfounded complaint against 何平, opened by the county's 纪检,
 * found unfounded by the city's (four eyes), clarified and filed. */
static enum rc_err clarify(struct demo *x, int64_t *id)
{
	enum rc_err e = RC_OK;
	doing(x, "the clarification");
	TRY(rc_proc_clarify_open(&x->u, "sunba", x->person_id[P_HEPING],
				 "匿名举报何平在项目审批中收受企业好处", id, x->d));
	doing(x, "the clarification's finding, issue and filing");
	TRY(rc_proc_clarify_decide(&x->u, "weisi", *id, 1, "会议", "在原举报影响范围内召开会议澄清",
				   x->d));
	TRY(rc_proc_clarify_issue(&x->u, "sunba", *id, x->today - 12, x->d));
	TRY(rc_proc_clarify_file(&x->u, "sunba", *id, x->today - 10, x->d));
out:
	return e;
}

/* ---- users: password and authenticator ----------------------------------- */

/* The shared demo password: 120 random bits, shown as XXXX-XXXX-XXXX-XXXX-
 * XXXX-XXXX (base32, as the administrators' one-time passwords are). */
#define DEMO_PW_RAW 15
static enum rc_err make_password(char out[32])
{
	uint8_t raw[DEMO_PW_RAW];
	char b32[RC_BASE32_LEN(DEMO_PW_RAW) + 1];
	size_t n = 0, o = 0;
	enum rc_err e = rc_random_bytes(raw, sizeof(raw));
	if (!e)
		e = rc_base32_encode(raw, sizeof(raw), b32, sizeof(b32), &n);
	for (size_t i = 0; !e && i < n; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = b32[i];
	}
	out[o] = '\0';
	rc_crypto_wipe(raw, sizeof(raw));
	rc_crypto_wipe(b32, sizeof(b32));
	return e;
}

/* Enrol a TOTP authenticator for `login` as a user would: begin with the
 * password, then prove the app has the secret with the code of now_unix's
 * step -- computed here, which spends that step.  The secret (base32) to
 * secret[RC_TOTP_SECRET_B32]. */
static enum rc_err enrol(struct demo *x, const char *login, const char *pw, int64_t now_unix,
			 char *secret)
{
	struct rc_totp_enrolment en;
	uint8_t key[RC_TOTP_SECRET_MAX];
	size_t n = 0;
	uint32_t code = 0;
	char digits[16];
	enum rc_err e = RC_OK;
	memset(&en, 0, sizeof(en));
	TRY(rc_proc_totp_enrol_begin(&x->u, login, pw, now_unix, &en, x->d));
	TRY(rc_base32_decode(en.secret, strlen(en.secret), key, sizeof(key), &n));
	TRY(rc_hotp(key, n, (uint64_t)(now_unix / RC_TOTP_PERIOD), RC_TOTP_DIGITS, &code));
	snprintf(digits, sizeof(digits), "%0*u", RC_TOTP_DIGITS, (unsigned)code);
	TRY(rc_proc_totp_enrol_finish(&x->u, login, digits, now_unix, x->d));
	memcpy(secret, en.secret, sizeof(en.secret));
out:
	rc_crypto_wipe(&en, sizeof(en));
	rc_crypto_wipe(key, sizeof(key));
	rc_crypto_wipe(digits, sizeof(digits));
	rc_crypto_wipe(&code, sizeof(code));
	return e;
}

static const struct demo_org *org_of(const char *code)
{
	for (size_t i = 0; i < COUNT(orgs); i++)
		if (strcmp(orgs[i].code, code) == 0)
			return &orgs[i];
	return &orgs[0];
}

/* One policy version must be in force over the whole of the demo, from the
 * earliest 失误发生日期 to today: the facts, recommendations and decisions
 * are written for the procedure and rules of policies/zhejiang-2023.rcp,
 * and an earlier version would apply other rules to the older cases (从旧兼
 * 从轻).  That version must have the steps the walk names, and the users'
 * roles must be the procedure's.  Checked before anything is written,
 * rather than fail half-way. */
static enum rc_err check_policy(const struct demo *x)
{
	const struct rc_policy *p = rc_policy_set_at(x->set, x->today);
	char ds[RC_DATE_STRLEN], de[RC_DATE_STRLEN], dl[RC_DATE_STRLEN];
	int32_t earliest = x->today;
	for (size_t c = 0; c < COUNT(cases); c++) {
		int32_t conduct = opened_on(x, &cases[c]) + OFF_CONDUCT;
		earliest = conduct < earliest ? conduct : earliest;
		/* a broken table: 西山县 has no 组织 or 纪检 user to carry a
		 * case past 申诉复核 */
		if (cases[c].stage > ST_APPEAL && !counties[cases[c].county].organiser) {
			rc_diag_add(x->d, RC_SEV_ERROR, 0, 0,
				    "demo data: case %zu of %s goes past 申诉复核, which its "
				    "county's users cannot take it through",
				    c + 1, counties[cases[c].county].name);
			return RC_ERR_INTERNAL;
		}
	}
	rc_date_format(x->today, ds);
	rc_date_format(earliest, de);
	if (!p || rc_policy_set_at(x->set, earliest) != p) {
		if (p)
			rc_date_format(rc_policy_effective(p) + (x->today - earliest), dl);
		rc_diag_add(x->d, RC_SEV_ERROR, 0, 0,
			    "the demo data needs one policy version in force from %s (its "
			    "earliest conduct) to %s; %s%s%s",
			    de, ds, p ? "choose a later day, " : "none is in force on that day",
			    p ? dl : "", p ? " or after" : "");
		return RC_ERR_NOT_FOUND;
	}
	for (size_t i = 0; i < COUNT(demo_steps); i++)
		if (rc_policy_find(p, RC_K_STEP, demo_steps[i]) < 0) {
			rc_diag_add(x->d, RC_SEV_ERROR, 0, 0,
				    "policy %s %s has no step '%s'; the demo data follows the "
				    "procedure of policies/zhejiang-2023.rcp",
				    rc_policy_series(p), rc_policy_version(p), demo_steps[i]);
			return RC_ERR_NAME;
		}
	for (size_t i = 0; i < COUNT(users); i++)
		if (rc_proc_role_check(x->set, users[i].role, x->d))
			return RC_ERR_NAME;
	return RC_OK;
}

/* Whether the database has an organisation: then it is not empty, and the
 * demo leaves it alone.  Read through the store's named query, to its end
 * (no statement is left half-read before the writes). */
static enum rc_err has_orgs(struct rc_store *s, int *yes)
{
	struct rc_stmt *st;
	int row = 0;
	enum rc_err e = rc_store_stmt(s, Q_ORG_LIST, &st);
	*yes = 0;
	while (!e && !(e = rc_stmt_step(st, &row)) && row)
		*yes = 1;
	return e;
}

enum rc_err rc_demo_load(struct rc_unit *u, const struct rc_policy_set *set,
			 const struct rc_cal *cal, int32_t today, int64_t now_unix, FILE *out,
			 int *loaded, struct rc_diags *d)
{
	struct demo x;
	char password[32] = "";
	char secrets[COUNT(users)][RC_TOTP_SECRET_B32];
	char codes[COUNT(cases)][64];
	int64_t clar = 0;
	int present = 0;
	enum rc_err e = RC_OK;
	memset(&x, 0, sizeof(x));
	memset(secrets, 0, sizeof(secrets));
	memset(codes, 0, sizeof(codes));
	if (loaded)
		*loaded = 0;
	/* hundreds of changes: one client key would make the second a no-op */
	x.u = *u;
	x.u.idem_key = NULL;
	x.u.on_made = NULL;
	x.set = set;
	x.cal = cal;
	x.today = today;
	x.d = d;
	if (now_unix < 0 || now_unix > RC_AUTH_TIME_MAX) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the time to enrol the authenticators at is "
			    "out of range");
		e = RC_ERR_RANGE;
		goto out;
	}
	if ((e = has_orgs(u->store, &present)))
		goto out;
	if (present) {
		fprintf(out, "演示数据 (demo data): 数据库中已有组织机构,未载入演示数据 (the "
			     "database has organisations already; nothing was loaded)\n");
		goto out;
	}
	TRY(check_policy(&x));

	for (size_t i = 0; i < COUNT(orgs); i++) {
		doing(&x, "organisation %s", orgs[i].code);
		TRY(rc_proc_org_add(&x.u, DEMO_ACTOR, orgs[i].code, orgs[i].name, orgs[i].level,
				    orgs[i].parent, d, NULL));
	}
	for (size_t i = 0; i < N_PEOPLE; i++) {
		doing(&x, "official %s", people[i].name);
		TRY(rc_proc_person_add(&x.u, DEMO_ACTOR, people[i].name, people[i].org,
				       people[i].post, people[i].rank, d, &x.person_id[i]));
	}
	TRY(make_password(password));
	for (size_t i = 0; i < COUNT(users); i++) {
		doing(&x, "user %s", users[i].login);
		TRY(rc_proc_user_add(&x.u, DEMO_ACTOR, users[i].login, users[i].name, users[i].org,
				     users[i].role, d));
		TRY(rc_proc_password_set(&x.u, DEMO_ACTOR, users[i].login, password, 0, NULL, d));
		TRY(enrol(&x, users[i].login, password, now_unix, secrets[i]));
	}
	/* the 当事人's account is 张三's: it reaches the cases about him */
	doing(&x, "user %s's official", "zhangsan");
	TRY(rc_proc_user_person(&x.u, DEMO_ACTOR, "zhangsan", x.person_id[P_ZHANGSAN], d));
	for (size_t i = 0; i < COUNT(cases); i++)
		TRY(walk(&x, &cases[i], codes[i], sizeof(codes[i])));
	TRY(clarify(&x, &clar));

	fprintf(out,
		"演示数据已载入 (demo data loaded): %zu 个组织, %d 名干部, %zu 个用户, %zu "
		"件案件, 1 件澄清正名。全部为虚构 (all invented).\n\n",
		COUNT(orgs), N_PEOPLE, COUNT(users), COUNT(cases));
	fprintf(out, "演示用户共用密码 (the demo users' password, shown only now): %s\n\n",
		password);
	fprintf(out, "演示用户 (login (name)  role  organisation; then the command that shows "
		     "the user's current TOTP code):\n");
	for (size_t i = 0; i < COUNT(users); i++) {
		const struct demo_org *o = org_of(users[i].org);
		fprintf(out, "  %s (%s)  %s  %s %s\n    oathtool --totp -b %s\n", users[i].login,
			users[i].name, users[i].role, o->name, o->code, secrets[i]);
	}
	fprintf(out,
		"\n动态口令已绑定 (authenticators enrolled): 绑定时已用掉当时 30 秒的口令,第一次"
		"登录请用下一个口令 (the enrolment spent the code of its 30-second step: log in\n"
		"with a later one -- wait up to 30 s).  密钥只显示这一次 (the secrets are shown "
		"only now); 在手机上添加同一密钥,或运行上面的 oathtool 命令。\n");
	fprintf(out, "\n案件 (cases):\n");
	for (size_t i = 0; i < COUNT(cases); i++) {
		const struct demo_case *c = &cases[i];
		const char *state = c->ending == REJECTED    ? "不予受理"
				    : c->ending == WITHDRAWN ? RC_STATE_WITHDRAWN
							     : stage_step[c->stage];
		fprintf(out, "  %s  [%s]  %s  %s:%s\n", codes[i], state, counties[c->county].name,
			c->person >= 0 ? people[c->person].name : org_of(c->unit)->name, c->what);
	}
	fprintf(
	    out,
	    "\n澄清正名 %lld: 对何平的匿名举报经核查失实,已召开会议澄清并归入廉政档案。\n"
	    "`rongcuo case list`、`case show CODE`、`case due` 和 `clarify show %lld` 可以查看。\n",
	    (long long)clar, (long long)clar);
	if (loaded)
		*loaded = 1;
out:
	if (e && x.doing[0])
		rc_diag_add(d, RC_SEV_NOTE, 0, 0,
			    "demo data: refused while making %s; what was made before stays -- "
			    "load the demo into a new data directory",
			    x.doing);
	rc_crypto_wipe(password, sizeof(password));
	rc_crypto_wipe(secrets, sizeof(secrets));
	return e;
}

/* ---- `rongcuo demo` ------------------------------------------------------- */

static const char demo_usage[] =
    "usage: rongcuo demo [--data DIR] [--policy FILE|DIR] [--calendar DIR] [--today DATE]\n"
    "\n"
    "Load the demo data into the data directory (`db init` first), as `rongcuo serve\n"
    "--demo` does: an invented province (示例省, 样板市, the sibling counties 东湖县 and\n"
    "西山县 and their units), officials, one user per role of the procedure, and cases at\n"
    "every step -- overdue ones, a withdrawn one, decisions of every outcome, an appeal,\n"
    "filing, rectification, a follow-up visit -- and a 澄清正名.  Every user gets one\n"
    "shared random password and an enrolled TOTP authenticator, printed once on\n"
    "standard output with the `oathtool` command that shows the current code.\n"
    "\n"
    "When the database has an organisation already, nothing is loaded (exit 0): a\n"
    "second run changes nothing.  --today (default: today) is the day the data is\n"
    "as of; the cases were opened up to 145 days before it, on conduct up to 190 days\n"
    "before, all under one policy version.  --policy (default policies/) must hold the\n"
    "procedure of policies/zhejiang-2023.rcp; --calendar as for `case`.\n"
    "docs/modules/demo.md lists what is loaded.\n"
    "\n"
    "Exit 0 ok, 2 usage error, 3 the data directory cannot be used or the procedure\n"
    "refused the demo data (the message says what).\n";

int rc_cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},     {"policy", required_argument, NULL, 'p'},
	    {"calendar", required_argument, NULL, 'c'}, {"today", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
	const char *data = NULL, *policy = "policies", *calendar = NULL, *today_opt = NULL;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_policy_set *set = NULL;
	struct rc_cal *cal = NULL;
	int32_t today;
	int c, rc = RC_EXIT_INPUT;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'p': policy = optarg; break;
		case 'c': calendar = optarg; break;
		case 't': today_opt = optarg; break;
		case 'h': fputs(demo_usage, stdout); return RC_EXIT_OK;
		default:
			fprintf(stderr, "rongcuo demo: unknown option or missing value: '%s'\n\n%s",
				argv[optind - 1], demo_usage);
			return RC_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "rongcuo demo: unexpected argument '%s'\n\n%s", argv[optind],
			demo_usage);
		return RC_EXIT_USAGE;
	}
	if (rc_cli_idempotency_key) {
		fputs("rongcuo demo: --idempotency-key is not taken here (a second run loads "
		      "nothing anyway)\n",
		      stderr);
		return RC_EXIT_USAGE;
	}
	if (today_opt) {
		if (rc_date_parse(today_opt, strlen(today_opt), &today)) {
			fprintf(stderr, "rongcuo demo: --today '%s' is not a date YYYY-MM-DD\n",
				today_opt);
			return RC_EXIT_USAGE;
		}
	} else {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		today = rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	rc_diags_init(&d, "rongcuo demo");
	if (rc_datadir_open(&dd, data, RC_DATADIR_USE, &d) || rc_policy_set_new(&set) ||
	    rc_policy_set_load(set, policy, &d) || rc_datadir_calendar(&dd, calendar, &cal, &d))
		goto out;
	if (rc_demo_load(&dd.unit, set, cal, today, (int64_t)time(NULL), stdout, NULL, &d))
		goto out;
	rc = RC_EXIT_OK;
out:
	rc_cal_free(cal);
	rc_policy_set_free(set);
	return rc_datadir_finish(&dd, &d, rc);
}
