// Target candidates: every quantity with a unit in a sentence of the plan becomes a proposed
// target (subject, comparator, value, unit, kind), plus milestones such as 通过…验收. The user
// reviews them; the rules aim at the forms Chinese work plans use, seen in the 2022 seed.
import type { PlanTarget, TargetComparator, TargetKind } from '#common/contracts/plans.ts';
import { splitOutsideBrackets, splitSentences } from './plan.text.ts';

const PERCENT_UNITS = ['个百分点', '百分点', '%', '‰'];
const AMOUNT_UNITS = [
  '亿美元', '万美元', '美元', '亿元', '万元', '千元', '元', '亿千瓦时', '万千瓦时', '千瓦时', '万千瓦', '千瓦',
  '万吨', '吨', '万平方米', '平方米', '平方公里', '公里', '万亩', '亩', '立方米', '倍',
];
const COUNT_UNITS = [
  '万人次', '人次', '家次', '万人', '万辆', '万台', '万套', '家', '个', '项', '件', '名', '位', '人', '台', '辆', '套',
  '条', '座', '场', '次', '起', '批', '户', '所', '处', '支', '篇', '款', '份', '张', '部', '种', '类',
];
const UNIT_PATTERN = [...PERCENT_UNITS, ...AMOUNT_UNITS, ...COUNT_UNITS]
  .sort((a, b) => b.length - a.length)
  .join('|');

// A quantity as written: `20 家`, `12%以上`, `1.7%`, `1,000 万元`, a range `10-15 家` (read as its
// lower end), then an optional qualifier (以上, 左右 …). Arabic digits only: targets are written
// so (GB/T 15835), while Chinese numerals in plans are names (十百千万, 一主两翼, 百名干部).
// Not preceded by a Latin letter, digit or 第, so `5G`, `H2`, `第 1 批` are no quantities;
// a year is none either, because 年 is no unit.
const QUANTITY = new RegExp(
  String.raw`(?<![\dA-Za-z.,]|第\s*)(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*%?\s*[-~～—–至]\s*\d+(?:\.\d+)?)?\s*(${UNIT_PATTERN})\s*(及以上|以上|以下|以内|左右|上下)?`,
  'gu',
);
// Units that begin a longer word of time, not a count: 3 个月, 5 个工作日.
const NOT_A_UNIT = /^(?:月|工作日|小时|季度)/;
// A quantity followed by 的 describes a noun (`产值下降 10%以上的企业`), it is no target — unless
// the noun is the target itself (`增长 8%的目标`).
const ATTRIBUTIVE = /^的(?!目标|任务|水平|增速|增幅|幅度)/u;

// A comparator verb right before the number. Alternatives are tried at the leftmost position,
// so 不低于 wins over 低于 and 达到 over 达.
const COMPARATOR_AT_END =
  /(不低于|不少于|不超过|不高于|超过|突破|高于|大于|多于|至少|达到|控制在|保持在|稳定在|(?:提高|提升|增加|增长|上升)[到至]|(?:下降|降低|减少|压减|降)[到至]|低于|少于|约为|接近|大约|约|近|达|过|为)$/u;
const GREATER = /^(?:超过|突破|高于|大于|多于|过)$/;
const AT_LEAST = /^(?:不低于|不少于|至少|达到|达|(?:提高|提升|增加|增长|上升)[到至])$/;
const AT_MOST = /^(?:不超过|不高于|低于|少于|控制在|(?:下降|降低|减少|压减|降)[到至])$/;
const ABOUT = /^(?:约为|接近|大约|约|近)$/;

// The measure is a rate of change: 同比增长, 增幅, 增速, 增长率 … (`增加值` is a noun, not 增加).
const GROWTH_AT_END =
  /(?:同比|比上年|较上年|比去年|较去年|年均|平均)?(?:增长率|增长|增幅|增速|提高|提升|上升|增加|下降|降低|减少|降幅)$/u;
// A fall keeps its word in the subject, because the value is kept as written (下降 3%, not −3).
const DECREASE = /(?:下降|降低|减少|降幅)$/u;

// Words that frame a target without being what is measured: ambition (力争, 确保), the period of
// the whole plan (全年, 2022 年), the bureau's own verbs of support (支持, 推动, 加快推进), and the
// glue left at the start of a list's next entry (、, 和). Stripped repeatedly from the start.
const LEAD_IN =
  /^(?:[、，和及与并且]|同时|其中|力争|确保|争取|努力|全力|计划|预计|实现|年内|今年|当年|全年|本年度|将|支持|推动|促进|帮助|引导|加快推进|加快|推进|着力|大力|积极|深入|持续|(?:到|至|在)?\s*\d{4}\s*年(?:底|末|度)?(?:前)?)\s*/u;

/**
 * Verbs that say which event is counted (新增 = new entries, 认定 = recognitions, 新认定 = first-time
 * recognitions …); a list's later entries without one share the first entry's verb.
 */
export const LEADING_VERB =
  /^(?:新增|(?:新|首次|重新)?(?:认定|备案|培育|引进|建设|建成|创建|入库|转化|申报|招引|打造|争创|获批|组建|新建|孵化|评定|推荐)(?:或(?:新|首次|重新)?(?:认定|备案|培育|引进|建设|建成|创建|入库|申报|获批|组建))?)/u;
/** The same, written after what is counted: `科技型中小企业入库 70 家`. */
export const TRAILING_VERB = /(?:入库|上市|挂牌|认定|备案|落地|开工|投产|竣工|签约)$/u;
// A total, not an event of the year: never takes a list's shared verb.
const STOCK = /^(?:全区|全市|全县|累计)|总数|总量|累计/u;

// Nouns that name a measure of an economy or industry; written alone (`增加值增长 10%`) they
// belong to the scope of the target before (`规上工业产值` → `规上工业增加值`).
const MEASURE_NOUN = '增加值|产值|产量|主营业务收入|营业收入|营收|销售收入|销售额|利润总额|利润|利税|税收|投资|出口额|出口|用电量';
const MEASURE_AT_END = new RegExp(`(?:${MEASURE_NOUN})$`, 'u');
const BARE_MEASURE = new RegExp(`^(?:${MEASURE_NOUN})$`, 'u');

// A qualitative target that can be ticked off: pass a review, put a project into use, become a …
const MILESTONE =
  /通过.{1,30}?(?:验收|评审|评估|认定|认证|考核|审核|复核)|(?:建成|竣工)(?:投产|使用|投用|运营|运行|达产)|建设成为|创建成为|成功创建|创成|获批/u;

interface Quantity {
  start: number;
  end: number;
  value: number;
  unit: string;
  suffix: string | null;
}

/** A candidate with what the list rules need: the verb it counts by and its comparator verb. */
interface Candidate extends PlanTarget {
  verb: string;
  comparatorWord: string | null;
}

function findQuantities(clause: string): Quantity[] {
  const found: Quantity[] = [];
  for (const match of clause.matchAll(QUANTITY)) {
    const [whole, number = '', unit = '', suffix] = match;
    const end = match.index + whole.length;
    const after = clause.slice(end);
    if ((!suffix && NOT_A_UNIT.test(after)) || ATTRIBUTIVE.test(after)) continue;
    found.push({ start: match.index, end, value: Number(number.replace(/,/g, '')), unit, suffix: suffix ?? null });
  }
  return found;
}

function stripLeadIns(text: string): string {
  let rest = text.trim();
  for (let match = LEAD_IN.exec(rest); match && match[0] !== ''; match = LEAD_IN.exec(rest)) {
    rest = rest.slice(match[0].length);
  }
  return rest;
}

function cleanSubject(text: string): string {
  return text.replace(/^[\s，、；：]+|[\s，、；：]+$/gu, '').replace(/的$/u, '');
}

function comparatorOf(word: string | null, suffix: string | null): TargetComparator {
  if (suffix === '左右' || suffix === '上下' || (word && ABOUT.test(word))) return '≈';
  if (word && GREATER.test(word)) return '>';
  if (word && AT_MOST.test(word)) return '<=';
  if (suffix === '以上' || suffix === '及以上') return '>=';
  if (suffix === '以下' || suffix === '以内') return '<=';
  if (word && AT_LEAST.test(word)) return '>=';
  return '=';
}

function kindOf(unit: string, isGrowth: boolean): TargetKind {
  if (PERCENT_UNITS.includes(unit)) return isGrowth ? 'growth' : 'share';
  return AMOUNT_UNITS.includes(unit) ? 'amount' : 'count';
}

/**
 * Read the words before a number: strip lead-ins, then the comparator verb, then — for a
 * percentage — the growth word, leaving what is measured:
 * `全区规模以上工业产值增幅超过` → subject `全区规模以上工业产值`, 超过, growth.
 */
function readSubject(before: string, unit: string): { subject: string; comparatorWord: string | null; isGrowth: boolean } {
  let subject = cleanSubject(stripLeadIns(before));
  const comparator = COMPARATOR_AT_END.exec(subject);
  if (comparator) subject = subject.slice(0, comparator.index);
  const growth = GROWTH_AT_END.exec(subject);
  const isGrowth = growth !== null && PERCENT_UNITS.includes(unit);
  if (growth && isGrowth && !DECREASE.test(growth[0])) subject = subject.slice(0, growth.index);
  return { subject: cleanSubject(subject), comparatorWord: comparator?.[1] ?? null, isGrowth };
}

function candidate(
  text: string,
  subject: string,
  quantity: Quantity,
  comparatorWord: string | null,
  isGrowth: boolean,
): Candidate {
  return {
    text,
    subject,
    comparator: comparatorOf(comparatorWord, quantity.suffix),
    value: quantity.value,
    unit: quantity.unit,
    kind: kindOf(quantity.unit, isGrowth),
    verb: LEADING_VERB.exec(subject)?.[0] ?? '',
    comparatorWord,
  };
}

/**
 * Complete a subject from the target before it in the same sentence (or, for the first two
 * rules, the same paragraph):
 * - nothing left (`产值 300 亿元，增长 12%`) → the same subject;
 * - a bare measure noun (`产值增幅超过 13%，增加值增长 10%左右`) → the scope before it + the noun;
 * - a threshold (`产值过亿元企业 10 家、过十亿元企业 2 家`) → what the previous threshold was on;
 * - a count with neither verb nor comparator (`认定…2 家以上，省级“隐形冠军”2 家以上`) → the
 *   previous count's verb, unless it names a total (全区…, 总数).
 */
function inherit(current: Candidate, previous: Candidate | null, sameSentence: boolean): void {
  if (!previous) return;
  if (current.subject === '') {
    current.subject = previous.subject;
    return;
  }
  if (BARE_MEASURE.test(current.subject)) {
    if (MEASURE_AT_END.test(previous.subject)) current.subject = previous.subject.replace(MEASURE_AT_END, '') + current.subject;
    return;
  }
  if (!sameSentence) return;
  const previousCore = previous.subject.slice(previous.verb.length);
  const threshold = previousCore.search(/[过超]/u);
  if (/^[过超]/u.test(current.subject) && threshold > 0) current.subject = previousCore.slice(0, threshold) + current.subject;
  const hasVerb = current.verb !== '' || TRAILING_VERB.test(current.subject);
  if (current.kind === 'count' && previous.kind === 'count' && previous.verb && !hasVerb && !current.comparatorWord && !STOCK.test(current.subject)) {
    current.subject = previous.verb + current.subject;
    current.verb = previous.verb;
  }
}

/** `专汽产量、产值分别增长 10%、12%`: the names before 分别 pair with the values after it. */
function respectiveTargets(sentence: string, clause: string, split: number, quantities: Quantity[], previous: Candidate | null): Candidate[] {
  const values = quantities.filter((q) => q.start > split);
  const first = values[0];
  if (!first) return [];
  const head = stripLeadIns(clause.slice(0, split));
  let names = splitOutsideBrackets(head, '、').map(cleanSubject).filter((name) => name !== '');
  if (names.length < values.length) {
    const finer = names.flatMap((name) => name.split(/[和与及]/u)).filter((name) => name !== '');
    if (finer.length > names.length) names = finer;
  }
  const verbs = readSubject(clause.slice(split + 2, first.start), first.unit);
  const found: Candidate[] = [];
  values.forEach((quantity, index) => {
    const name = names[Math.min(index, names.length - 1)] ?? '';
    const target = candidate(sentence, name, quantity, verbs.comparatorWord, verbs.isGrowth);
    target.comparatorWord = null; // the verb after 分别 is shared, not a sign of a total
    inherit(target, found.at(-1) ?? previous, found.length > 0 || previous?.text === sentence);
    found.push(target);
  });
  return found;
}

/** Every quantity of a clause, each subject read from the words since the previous quantity. */
function listTargets(sentence: string, clause: string, quantities: Quantity[], previous: Candidate | null): Candidate[] {
  const found: Candidate[] = [];
  let cursor = 0;
  quantities.forEach((quantity, index) => {
    const read = readSubject(clause.slice(cursor, quantity.start), quantity.unit);
    cursor = quantity.end;
    // Number first (`新增 20 家规上企业`, `推动 2 家企业挂牌`): what is counted follows the unit,
    // up to the next 、 or quantity; otherwise it came before the number.
    const nextStart = quantities[index + 1]?.start ?? clause.length;
    const noun = splitOutsideBrackets(clause.slice(quantity.end, nextStart), '、')[0] ?? '';
    let subject = read.subject;
    if (cleanSubject(noun) !== '' && !noun.startsWith('的')) {
      cursor = quantity.end + noun.length;
      subject = cleanSubject(subject + cleanSubject(noun));
    }
    const target = candidate(sentence, subject, quantity, read.comparatorWord, read.isGrowth);
    inherit(target, found.at(-1) ?? previous, found.length > 0 || previous?.text === sentence);
    found.push(target);
  });
  return found;
}

function milestone(sentence: string, words: string): Candidate {
  const subject = cleanSubject(stripLeadIns(words.replace(/[。！？；]+[”’」』）)]*$/u, '')));
  return { text: sentence, subject, comparator: '=', value: null, unit: null, kind: 'milestone', verb: '', comparatorWord: null };
}

/** Options of extractTargets. */
export interface ExtractTargetsOptions {
  /**
   * Every sentence is a target (the main-targets paragraph): a sentence with no quantity and no
   * milestone verb becomes a milestone of its own words, so no main target is lost.
   */
  readonly everySentence?: boolean;
}

/**
 * Propose target candidates for the sentences of a paragraph or an item: one per quantity with a
 * unit, one per milestone clause (通过…验收, 建成投产, 建设成为…). Each candidate's `text` is its
 * whole sentence.
 */
export function extractTargets(text: string, options: ExtractTargetsOptions = {}): PlanTarget[] {
  const targets: Candidate[] = [];
  for (const sentence of splitSentences(text)) {
    const body = sentence.replace(/[。！？；]+[”’」』）)]*$/u, '');
    const before = targets.length;
    for (const clause of splitOutsideBrackets(body, '，：')) {
      const quantities = findQuantities(clause);
      const previous = targets.at(-1) ?? null;
      const split = clause.indexOf('分别');
      if (quantities.length === 0) {
        if (MILESTONE.test(clause)) targets.push(milestone(sentence, clause));
      } else if (split > 0 && quantities.every((q) => q.start > split)) {
        targets.push(...respectiveTargets(sentence, clause, split, quantities, previous));
      } else {
        targets.push(...listTargets(sentence, clause, quantities, previous));
      }
    }
    if (options.everySentence && targets.length === before) targets.push(milestone(sentence, body));
  }
  return targets.map(({ text, subject, comparator, value, unit, kind }) => ({ text, subject, comparator, value, unit, kind }));
}
