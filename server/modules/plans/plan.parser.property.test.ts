import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsedPlanSchema } from '#common/contracts/plans.ts';
import { parsePlanText } from './plan.parser.ts';

// Property tests: generated notices in every layout the parser claims to read, checked for
// structure and for lost text. Text is compared folded (NFKC, no whitespace), because the
// parser normalises spacing and punctuation width but must keep every character.
function fold(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

function isSubsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (const char of haystack) if (at < needle.length && needle[at] === char) at++;
  return at === needle.length;
}

const HAN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

// Words without numerals, section names, organisation endings or notice words, so that a
// wrapped line can never look like a marker, a label or a signature by accident.
const word = fc.constantFrom(
  '推进', '企业', '创新', '产业', '发展', '平台', '建设', '服务', '工业', '科技', '培育', '项目', '管理', '质量',
  '高新技术', '规上', '产值', '增加值', '专精特新', '应急装备', '数字化', '绿色', '安全', '要素', '保障', '调度',
  '新增', '认定', '增长', '突破', '达到', '超过', '力争', '确保', '分别', '“小巨人”', '（市、区）',
);
const quantity = fc
  .record({
    value: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.constantFrom(1.7, 12.5)),
    unit: fc.constantFrom('%', '家', '个', '项', '亿元'),
    suffix: fc.constantFrom('', '以上', '左右'),
    space: fc.constantFrom('', ' '),
  })
  .map(({ value, unit, suffix, space }) => `${space}${value}${space}${unit}${suffix}`);
// A clause starts with a word: after an item marker `1.` a number would read as a decimal (1.5%).
const clause = fc
  .tuple(word, fc.array(fc.oneof({ arbitrary: word, weight: 3 }, { arbitrary: quantity, weight: 1 }), { maxLength: 4 }))
  .map(([first, tokens]) => first + tokens.join(''));
const sentence = fc
  .tuple(fc.array(clause, { minLength: 1, maxLength: 3 }), fc.constantFrom('，', ','), fc.constantFrom('。', '；'))
  .map(([clauses, comma, end]) => clauses.join(comma) + end);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 3 }).map((sentences) => sentences.join(''));
const heading = fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => words.join(''));

const item = fc.record({ heading, body: paragraph });
const group = fc.record({ title: heading, intro: fc.option(paragraph, { nil: null }), items: fc.array(item, { minLength: 1, maxLength: 4 }) });
const plan = fc.record({
  notice: fc.boolean(),
  title: heading.map((words) => `曾都区 2023 年${words}工作要点`),
  overview: fc.option(fc.record({ label: fc.constantFrom('整体展望：', '总体要求：', ''), text: paragraph }), { nil: null }),
  mainTargets: fc.oneof(
    fc.constant(null),
    paragraph.map((text) => ({ kind: 'paragraph' as const, entries: [text] })),
    fc.array(sentence, { minLength: 1, maxLength: 4 }).map((entries) => ({ kind: 'list' as const, entries })),
  ),
  numbering: fc.constantFrom('continue', 'restart', 'paren', 'dunhao'),
  groups: fc.array(group, { minLength: 1, maxLength: HAN_NUMERALS.length }),
  layout: fc.oneof(fc.constant(null), fc.record({ width: fc.integer({ min: 40, max: 70 }), seed: fc.integer({ min: 1, max: 2 ** 30 }) })),
});
type GeneratedPlan = typeof plan extends fc.Arbitrary<infer T> ? T : never;

/** The logical paragraphs of a generated plan, markers and labels included. */
function paragraphsOf(generated: GeneratedPlan): string[] {
  const lines: string[] = [];
  if (generated.notice) {
    lines.push(
      '随州市曾都区科学技术和经济信息化局',
      `关于印发《${generated.title}》的通知`,
      '各镇、街道、管委会经发办：',
      `现将《${generated.title}》印发给你们，请认真贯彻执行。`,
      '随州市曾都区科学技术和经济信息化局',
      '2023 年 1 月 20 日',
    );
  }
  lines.push(generated.title);
  if (generated.overview) lines.push(generated.overview.label + generated.overview.text);
  if (generated.mainTargets?.kind === 'paragraph') lines.push(`主要目标：${generated.mainTargets.entries[0] ?? ''}`);
  if (generated.mainTargets?.kind === 'list') lines.push(...generated.mainTargets.entries.map((entry, index) => `${index + 1}.${entry}`));
  let itemNumber = 0;
  generated.groups.forEach((g, groupIndex) => {
    lines.push(`${HAN_NUMERALS[groupIndex] ?? ''}、${g.title}`);
    if (g.intro) lines.push(g.intro);
    g.items.forEach((i, index) => {
      itemNumber = generated.numbering === 'restart' || generated.numbering === 'paren' ? index + 1 : itemNumber + 1;
      const marker = generated.numbering === 'paren' ? `（${HAN_NUMERALS[index] ?? ''}）` : `${itemNumber}${generated.numbering === 'dunhao' ? '、' : '.'}`;
      lines.push(`${marker}${i.heading}。${i.body}`);
    });
  });
  return lines;
}

/** Deterministic pseudo-random numbers for the PDF rendering (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Render paragraphs as a PDF extraction does: wrapped at a width (breaking only after a Chinese
 * character, as PDF line breaking does), blank lines inside sentences, page breaks with page
 * numbers.
 */
function renderPdf(paragraphs: string[], width: number, seed: number): string {
  const next = random(seed);
  const out: string[] = [];
  let page = 1;
  const emit = (line: string): void => {
    out.push(line);
    if (next() < 0.15) out.push('');
    if (next() < 0.05) out.push('', `- ${page++} -`, '\f');
  };
  for (const text of paragraphs) {
    let line = '';
    let lineWidth = 0;
    for (const char of text) {
      const charWidth = /[\x20-\x7e]/.test(char) ? 1 : 2;
      if (lineWidth + charWidth > width && /\p{Script=Han}$/u.test(line)) {
        emit(line);
        line = '';
        lineWidth = 0;
      }
      line += char;
      lineWidth += charWidth;
    }
    emit(line);
  }
  return out.join('\n');
}

function render(generated: GeneratedPlan): string {
  const paragraphs = paragraphsOf(generated);
  return generated.layout ? renderPdf(paragraphs, generated.layout.width, generated.layout.seed) : paragraphs.join('\n\n');
}

describe('parsePlanText properties', () => {
  it('never throws and always answers the contract, whatever the text', () => {
    const piece = fc.constantFrom(
      '一、', '二、', '1.', '2.', '3、', '（一）', '(二)', '主要目标：', '整体展望：', '关于印发《', '》的通知', '2022 年 2 月 11 日', '抄报：',
      '\n', '\n\n', '\f', '- 2 -', '。', '，', '、', '；', '12%', '20 家', '以上', '左右', '分别', '增长', '新增', '突破', '企业', '产值',
      '“', '”', '（', '）', '(', ')', ' ', '局', 'abc', '5G', '1.7%', '亿元', '通过', '验收', '过', '的', '全区', '工作要点', '\u3000', '１２',
    );
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 300 }), (text) => {
        const parsed = parsePlanText(text);
        expect(parsedPlanSchema.parse(parsed)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it('reads generated notices in every layout into their structure, losing no text', () => {
    fc.assert(
      fc.property(plan, (generated) => {
        const parsed = parsePlanText(render(generated));
        expect(fold(parsed.title ?? '')).toBe(fold(generated.title));
        expect(parsed.noticeTitle === null).toBe(!generated.notice);
        expect(fold(parsed.overview)).toBe(fold(generated.overview ? generated.overview.label + generated.overview.text : ''));

        const targetTexts = fold(parsed.mainTargets.map((target) => target.text).join(''));
        expect(isSubsequence(fold((generated.mainTargets?.entries ?? []).join('')), targetTexts)).toBe(true);

        expect(parsed.groups.map((g) => [g.number, fold(g.title)])).toEqual(generated.groups.map((g, index) => [index + 1, fold(g.title)]));
        generated.groups.forEach((g, groupIndex) => {
          const expected = [
            // the title of the unnumbered intro is its first sentence, whichever mark ends it
            ...(g.intro ? [{ number: 0, title: null, text: fold(g.intro) }] : []),
            ...g.items.map((i, index) => ({
              number: generated.numbering === 'restart' || generated.numbering === 'paren' ? index + 1 : -1,
              title: fold(i.heading),
              text: fold(`${i.heading}。${i.body}`),
            })),
          ];
          const actual = (parsed.groups[groupIndex]?.items ?? []).map((i, index) => ({
            number: expected[index]?.number === -1 ? -1 : i.number,
            title: i.number === 0 ? null : fold(i.title),
            text: fold(i.text),
          }));
          expect(actual).toEqual(expected);
        });
        const numbered = parsed.groups.flatMap((g) => g.items).filter((i) => i.number !== 0);
        if (generated.numbering === 'continue' || generated.numbering === 'dunhao') {
          expect(numbered.map((i) => i.number)).toEqual(numbered.map((_, index) => index + 1));
        }
      }),
      { numRuns: 300 },
    );
  });
});
