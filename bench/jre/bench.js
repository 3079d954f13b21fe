#!/usr/bin/env node
// bench.js -- the Zhejiang 2023 rules (policies/zhejiang-2023.rcp) in
// json-rules-engine, evaluated on the fact sets bench_eval wrote, checked
// against the engine's results, then timed.  See bench/README.md.
//
//   node bench.js SETS.jsonl [--dump RULES.json]
//
// json-rules-engine has two-valued conditions only.  The policy's three-
// valued (Kleene) logic is encoded "dual-rail": every expression X becomes
// two json-rules-engine conditions, T(X) "X is true" and F(X) "X is false";
// X is unknown when neither holds.  An unknown fact is null, which satisfies
// no leaf, so:
//   T(fact)        = fact equal true          F(fact)        = fact equal false
//   T(s == g)      = s equal g                F(s == g)      = s in (other known grades)
//   T(a and b)     = all[T(a), T(b)]          F(a and b)     = any[F(a), F(b)]
//   T(a or b)      = any[T(a), T(b)]          F(a or b)      = all[F(a), F(b)]
//   T(not a)       = F(a)                     F(not a)       = T(a)
// which is exactly Kleene's table.  Situations, conditions, exclusions,
// `tolerable`, `excluded` and each of the policy's rules are
// each a pair of json-rules-engine rules whose events report T or F and
// record the value for later stages (rule chaining, see build()).  The priority semantics of §2.5 (highest true rule
// wins unless a higher one is unknown, then undetermined with candidates)
// are a few lines of JavaScript over those events: json-rules-engine's own
// rule priority only orders evaluation.
'use strict';

const fs = require('fs');
const { Engine } = require('json-rules-engine');

// ---- the policy, transcribed (same order and names as the .rcp file) ----

const fact = (name) => ({ fact: name });
const eq = (name, grade) => ({ eq: [name, grade] });
const ne = (name, grade) => ({ not: eq(name, grade) });
const and = (...xs) => ({ and: xs });
const or = (...xs) => ({ or: xs });
const not = (x) => ({ not: x });
const ref = (name) => ({ ref: name });
const TRUE = { const: true };

// Known grades of every standard; 未查明 (unknown) is null in the JSON.
const GRADES = ['有利', '一般', '不利'];

const situations = [
  ['营商环境突破常规', and(fact('营商环境领域'), fact('突破常规探索'))],
  ['改革先行先试失误', and(fact('推进改革'), fact('缺乏经验'))],
  ['探索性试验失误', and(fact('探索性试验'), not(fact('上级明确限制')))],
  ['程序瑕疵未影响实体', and(fact('执行程序瑕疵'), not(fact('瑕疵影响实体')))],
  ['紧急情况事后补报', and(fact('执行程序瑕疵'), fact('情况紧急'), fact('事后及时报告'))],
  ['集体决策持异议', and(fact('集体决策'), fact('提出反对意见'))],
  ['上级错误决定已提异议',
    and(fact('执行上级决定'), fact('提出改正撤销意见'), not(fact('上级决定明显违法')))],
  ['科学民主决策后损失', and(fact('决策造成损失'), fact('科学民主决策'))],
  ['突发事件临机决断', and(fact('突发事件处置'), fact('临机决断'), fact('事后及时报告'))],
  ['化解复杂矛盾失误', and(fact('化解复杂矛盾'), fact('履职尽责'))],
  ['履职尽责遇不可抗力', and(fact('履职尽责'), fact('不可抗力因素'))],
  ['政策界限不明失误', and(fact('履职尽责'), fact('政策界限不明'))],
  ['推动发展无意过失', and(fact('为推动发展'), not(fact('明知故犯')), not(fact('谋取私利')))],
  ['缺乏经验非故意失误', and(fact('缺乏经验'), not(fact('明知故犯')))],
];

const conditions = [
  ['纪法红线之内', not(fact('触犯纪法红线'))],
  ['非明知故犯', not(fact('明知故犯'))],
  ['未谋取私利', not(fact('谋取私利'))],
  ['未造成严重后果', not(fact('造成严重后果'))],
];

// [name, when, enabled]; every one `blocks all`.
const exclusions = [
  ['不容违规违禁', or(fact('与中央决策部署不符'), fact('违反禁止性规定')), true],
  ['不容形象工程', fact('形象工程'), true],
  ['不容谋取私利', fact('谋取私利'), true],
  ['不容拒不整改', fact('拒不整改'), true],
  ['不容我行我素', fact('违抗上级禁令'), false],
  ['不容弄虚作假', fact('弄虚作假'), false],
  ['不容屡错屡犯', fact('屡错屡犯'), false],
  ['不容重大损失', fact('重大损失恶劣影响'), false],
];

const favourable = and(eq('动机态度', '有利'), eq('补救情况', '有利'),
  ne('后果影响', '不利'), ne('问题性质', '不利'));

// [name, priority, when, band]
const rules = [
  ['排除则不予容错', 100, ref('excluded'), ['不予容错']],
  ['容错且研判有利', 60, and(ref('tolerable'), favourable), ['不予追究责任', '免于追究责任']],
  ['容错且研判一般', 50, and(ref('tolerable'), not(favourable)), ['免于追究责任', '减轻追究责任']],
  ['未容错但及时补救', 20, and(not(ref('tolerable')), eq('补救情况', '有利')),
    ['从轻追究责任', '减轻追究责任']],
  ['兜底不予容错', 0, TRUE, ['不予容错']],
];

// tolerable = (some situation met and not blocked) and every condition holds;
// excluded = some enabled exclusion is met.  A disabled exclusion is false.
const enabled = exclusions.filter((e) => e[2]).map((e) => ref(e[0]));
const blockedBy = enabled.length ? or(...enabled) : { const: false };
const tolerableExpr = and(
  or(...situations.map(([s]) => and(ref(s), not(blockedBy)))),
  and(...conditions.map(([c]) => ref(c))));
const excludedExpr = enabled.length ? or(...enabled) : { const: false };

// ---- dual-rail translation to json-rules-engine conditions ----

const ALWAYS = { all: [] }; // every of nothing: true
const NEVER = { any: [] }; // some of nothing: false

function rail(x, want) { // want: true -> T(x), false -> F(x)
  if (x.const !== undefined) return x.const === want ? ALWAYS : NEVER;
  if (x.fact) return { fact: x.fact, operator: 'equal', value: want };
  if (x.eq) {
    const [name, grade] = x.eq;
    return want ? { fact: name, operator: 'equal', value: grade }
      : { fact: name, operator: 'in', value: GRADES.filter((g) => g !== grade) };
  }
  if (x.not) return rail(x.not, !want);
  // An item computed at an earlier stage: a fact 'T' or 'F', absent when unknown.
  if (x.ref) return { fact: x.ref, operator: 'equal', value: want ? 'T' : 'F' };
  const xs = x.and || x.or;
  const sub = xs.map((y) => rail(y, want));
  // T(and) and F(or) need all; T(or) and F(and) need any.
  return (!!x.and === want) ? { all: sub } : { any: sub };
}

// json-rules-engine wants all/any/not/condition at the root of a rule's
// tree; a bare leaf is wrapped.
const asRoot = (c) => ((c.all || c.any || c.not || c.condition) ? c : { all: [c] });

// Rule chaining, the idiomatic json-rules-engine way to name intermediate
// results: rules of a higher priority run (and finish) first, and the
// success handler records their value as a runtime fact that rules of the
// next stage read.  Every item is so evaluated once per run, like the
// engine's registers.  Stages: 4 situations, conditions, exclusions;
// 3 excluded; 2 tolerable; 1 the policy's rules.
function build() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.on('success', (event, almanac) => {
    almanac.addRuntimeFact(event.params.item, event.params.value);
  });
  const jreRules = [];
  const add = (priority, name, expr) => {
    for (const want of [true, false]) {
      const c = rail(expr, want);
      if (c === NEVER) continue; // can never fire
      const tf = want ? 'T' : 'F';
      const r = { name: `${tf}:${name}`, priority, conditions: asRoot(c),
        event: { type: `${tf}:${name}`, params: { item: name, value: tf } } };
      jreRules.push(r);
      engine.addRule(r);
    }
  };
  for (const [s, when] of situations) add(4, s, when);
  for (const [c, when] of conditions) add(4, c, when);
  for (const [e, when, on] of exclusions) add(4, e, on ? when : { const: false });
  add(3, 'excluded', excludedExpr);
  add(2, 'tolerable', tolerableExpr);
  for (const [name, , when] of rules) add(1, name, when);
  return { engine, jreRules };
}

// ---- the outcome, §2.5, from the rules' truth values ----

const levels = [...new Set(rules.map((r) => r[1]))].sort((a, b) => b - a)
  .map((pri) => rules.filter((r) => r[1] === pri));
const bandKey = (band) => [...band].sort().join('|');

function outcome(truth) {
  let cand = new Set();
  let pending = false;
  for (const level of levels) {
    let trule = null;
    let anyU = false;
    for (const r of level) {
      const v = truth[r[0]];
      if (v === 'true') {
        if (!trule) trule = r;
        else if (bandKey(r[3]) !== bandKey(trule[3])) {
          return { state: 'conflict', band: new Set([...trule[3], ...r[3]]) };
        }
      } else if (v === 'unknown') anyU = true;
    }
    const uband = new Set();
    if (anyU) {
      for (const r of level) {
        if (truth[r[0]] === 'unknown' && (!trule || bandKey(r[3]) !== bandKey(trule[3]))) {
          r[3].forEach((o) => uband.add(o));
        }
      }
    }
    if (trule) {
      if (pending || uband.size) {
        return { state: 'undetermined', band: new Set([...cand, ...trule[3], ...uband]) };
      }
      return { state: 'determined', band: new Set(trule[3]), rule: trule[0] };
    }
    if (anyU) {
      pending = true;
      uband.forEach((o) => cand.add(o));
    }
  }
  return { state: 'undetermined', band: cand };
}

async function evaluate(engine, facts) {
  const { events } = await engine.run(facts);
  const fired = new Set(events.map((e) => e.type));
  const truth = {};
  for (const name of ['tolerable', 'excluded', ...rules.map((r) => r[0])]) {
    const t = fired.has('T:' + name);
    const f = fired.has('F:' + name);
    if (t && f) throw new Error(`${name} is both true and false`);
    truth[name] = t ? 'true' : f ? 'false' : 'unknown';
  }
  return { truth, ...outcome(truth) };
}

function compare(i, got, want, line) {
  const problems = [];
  for (const k of ['tolerable', 'excluded']) {
    if (got.truth[k] !== want[k]) problems.push(`${k}: engine ${want[k]}, jre ${got.truth[k]}`);
  }
  for (const [name, v] of Object.entries(want.rules)) {
    if (got.truth[name] !== v) problems.push(`rule ${name}: engine ${v}, jre ${got.truth[name]}`);
  }
  if (got.state !== want.state) problems.push(`state: engine ${want.state}, jre ${got.state}`);
  if (bandKey(got.band) !== bandKey(want.band)) {
    problems.push(`band: engine ${bandKey(want.band)}, jre ${bandKey(got.band)}`);
  }
  if (problems.length) {
    console.error(`MISMATCH set ${i}: ${problems.join('; ')}\n  ${line}`);
  }
  return problems.length;
}

async function main() {
  const args = process.argv.slice(2);
  if (!args.length) {
    console.error('usage: node bench.js SETS.jsonl [--dump RULES.json]');
    process.exit(2);
  }
  const lines = fs.readFileSync(args[0], 'utf8').split('\n').filter((l) => l.length);
  const sets = lines.map((l) => JSON.parse(l));
  // The runtime facts: every fact and finding by name, null when unknown.
  const facts = sets.map((s) => ({ ...s.case.facts, ...s.case.findings }));
  const { engine, jreRules } = build();
  const dump = args.indexOf('--dump');
  if (dump >= 0 && args[dump + 1]) {
    fs.writeFileSync(args[dump + 1],
      JSON.stringify(jreRules, null, 1));
  }

  // Cross-check (also warms the JIT): every set against the engine's result.
  let bad = 0;
  for (let i = 0; i < sets.length; i++) {
    const got = await evaluate(engine, facts[i]);
    bad += compare(i, got, sets[i].expect, lines[i]) ? 1 : 0;
    if (bad >= 10) break;
  }
  if (bad) {
    console.error(`json-rules-engine cross-check FAILED on ${bad} sets`);
    process.exit(1);
  }
  console.log(`cross-check: json-rules-engine == engine on ${sets.length} sets ` +
    '(tolerable, excluded, every rule, outcome state and band)');

  // Timed: the same sets again, evaluation and the outcome pick only.
  let acc = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < sets.length; i++) {
    const got = await evaluate(engine, facts[i]);
    acc += got.band.size;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const eps = sets.length / secs;
  console.log(`json-rules-engine ${require('json-rules-engine/package.json').version} ` +
    `(node ${process.version}): ${eps.toFixed(0)} evals/s, ` +
    `${(1e6 / eps).toFixed(1)} us/eval over ${sets.length} sets (checksum ${acc})`);
  console.log(`RESULT jre=${eps.toFixed(0)} jre_n=${sets.length}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
