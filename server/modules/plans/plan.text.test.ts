import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseSpacing, parseChineseNumeral, parseDateLine, splitOutsideBrackets, splitSentences, toPlanLines } from './plan.text.ts';

describe('normaliseSpacing', () => {
  it.each([
    ['曾都区2022年度科技和经信工作要点', '曾都区 2022 年度科技和经信工作要点'],
    ['曾都区   2022  年度', '曾都区 2022 年度'],
    ['同比增长12 %以上', '同比增长 12%以上'],
    ['增幅超过 13 % ，增加值', '增幅超过 13%，增加值'],
    ['占 GDP 比重', '占 GDP 比重'],
    ['推广5G、工业互联网', '推广 5G、工业互联网'],
    ['产值突破 １００ 亿元', '产值突破 100 亿元'],
    ['比重达到 1 . 7%以上', '比重达到 1.7%以上'],
    ['局机关各股室,区科技创新促进中心:', '局机关各股室，区科技创新促进中心：'],
    ['抓好首季开局.按照要求', '抓好首季开局。按照要求'],
    ['“四能四则”(能开则开、能早则早)要求', '“四能四则”（能开则开、能早则早）要求'],
    ['1.抓好首季开局', '1.抓好首季开局'],
    ['1,000 万元，10:30 开会', '1,000 万元，10:30 开会'],
    ['\u3000\u3000整体展望：坚持', '整体展望：坚持'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseSpacing(raw)).toBe(expected);
  });

  it('is idempotent, so titles normalised twice still compare equal', () => {
    const piece = fc.constantFrom('曾都', '区', ' ', '  ', '2022', '年', '12', '%', '，', ',', '.', '“', '”', '(', ')', 'GDP', '\u3000', '１', '：');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const once = normaliseSpacing(pieces.join(''));
        expect(normaliseSpacing(once)).toBe(once);
      }),
    );
  });
});

describe('toPlanLines', () => {
  it('drops blank lines and page numbers, and breaks at form feeds', () => {
    const lines = toPlanLines('一、围绕目标\n\n\n- 2 -\n\f1.抓好\n第 3 页 共 8 页\n3/8\n— 4 —\n  家以上  \n');
    expect(lines.map((line) => line.text)).toEqual(['一、围绕目标', '1.抓好', '家以上']);
    expect(lines[0]?.width).toBe(12);
  });
});

describe('parseDateLine', () => {
  it.each([
    ['2022 年 2 月 11 日', '2022-02-11'],
    ['2022年2月11日', '2022-02-11'],
    ['（2022年2月11日）', '2022-02-11'],
    ['二〇二二年二月十一日', '2022-02-11'],
    ['二〇二三年十二月三十一日', '2023-12-31'],
    ['2022-2-11', '2022-02-11'],
  ])('%s → %s', (line, iso) => {
    expect(parseDateLine(line)).toBe(iso);
  });

  it.each(['2022 年 2 月 30 日', '力争 2022 年 2 月 11 日前完成', '2022 年度'])('refuses %s', (line) => {
    expect(parseDateLine(line)).toBeNull();
  });
});

describe('parseChineseNumeral', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十一', 11],
    ['二十', 20],
    ['二十七', 27],
    ['一百', 100],
    ['二〇二二', 2022],
  ])('%s → %i', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });
});

describe('splitSentences and splitOutsideBrackets', () => {
  it('keeps closing quotes with their sentence and ignores separators in brackets', () => {
    expect(splitSentences('推动曾都工业经济进入“数字时代。”下一句；第三句')).toEqual(['推动曾都工业经济进入“数字时代。”', '下一句；', '第三句']);
    expect(splitOutsideBrackets('通过创新型县（市、区）验收评审，力争“不求所有，但求所在”', '，、')).toEqual([
      '通过创新型县（市、区）验收评审',
      '力争“不求所有，但求所在”',
    ]);
  });
});
