import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { INDUSTRY_CSV_PATH, INDUSTRY_MODULE_PATH, renderIndustryCodesModule } from '../scripts/gen-industry-codes.ts';
import { INDUSTRY_CLASSES, INDUSTRY_DIVISIONS, INDUSTRY_GROUPS } from './industry-codes.ts';
import { checkIndustryCode, industrySection, industrySectionName, listIndustryDivisions } from './industry.ts';

describe('checkIndustryCode', () => {
  it('names every level of a known class (3630 改装汽车制造, the main 专汽 class)', () => {
    expect(checkIndustryCode('3630')).toEqual({
      code: '3630',
      division: '36',
      divisionName: '汽车制造业',
      group: '363',
      groupName: '改装汽车制造',
      className: '改装汽车制造',
      section: 'C',
      errors: [],
      warnings: [],
    });
  });

  it('names the group of a class that has siblings', () => {
    expect(checkIndustryCode('3985')).toMatchObject({
      divisionName: '计算机、通信和其他电子设备制造业',
      group: '398',
      groupName: '电子元件及电子专用材料制造',
      className: '电子专用材料制造',
      warnings: [],
    });
  });

  it('knows classes in mining and utilities', () => {
    expect(checkIndustryCode('0610')).toMatchObject({ section: 'B', className: '烟煤和无烟煤开采洗选', warnings: [] });
    expect(checkIndustryCode('4690')).toMatchObject({ section: 'D', className: '其他水的处理、利用与分配', warnings: [] });
  });

  it('knows 3741 飞机制造, which the source dataset mis-filed as a group', () => {
    expect(checkIndustryCode('3741')).toMatchObject({ group: '374', groupName: '航空、航天器及设备制造', className: '飞机制造', warnings: [] });
  });

  it('tolerates spaces and full-width digits', () => {
    expect(checkIndustryCode(' ３６３０ ')).toMatchObject({ code: '3630', className: '改装汽车制造', errors: [] });
  });

  it('keeps a well-formed unknown code in a known division with a warning', () => {
    const result = checkIndustryCode('3699');
    expect(result).toMatchObject({ code: '3699', division: '36', divisionName: '汽车制造业', group: null, className: null, section: 'C', errors: [] });
    expect(result.warnings).toEqual(['行业代码「3699」不在 GB/T 4754-2017 采矿业、制造业、电力热力燃气及水生产和供应业的小类中，请核对']);
  });

  it('keeps a code outside B/C/D (5211 retail) with a warning and no names', () => {
    const result = checkIndustryCode('5211');
    expect(result).toMatchObject({ division: null, section: null, className: null, errors: [] });
    expect(result.warnings).toHaveLength(1);
  });

  it.each([
    ['363', '「363」是行业中类代码，请填到4位小类，如 3630'],
    ['36', '「36」是行业大类代码，请填到4位小类，如 3630'],
    ['C3630', '国民经济行业代码应为4位数字，如 3630'],
    ['36300', '国民经济行业代码应为4位数字，如 3630'],
    ['36a0', '国民经济行业代码应为4位数字，如 3630'],
    ['999', '国民经济行业代码应为4位数字，如 3630'],
    ['', '请填写国民经济行业代码（4位数字，如 3630）'],
  ])('refuses %j', (input, message) => {
    expect(checkIndustryCode(input)).toMatchObject({ errors: [message], warnings: [], className: null, section: null });
  });
});

describe('industrySection and divisions', () => {
  it('maps divisions to sections B (06–12), C (13–43) and D (44–46)', () => {
    expect(industrySection('0610')).toBe('B');
    expect(industrySection('1200')).toBe('B');
    expect(industrySection('1310')).toBe('C');
    expect(industrySection('4320')).toBe('C');
    expect(industrySection('4411')).toBe('D');
    expect(industrySection('5211')).toBeNull();
    expect(industrySection('')).toBeNull();
    expect(industrySectionName('C')).toBe('制造业');
  });

  it('lists the 41 industrial divisions for filters, 31 of them manufacturing', () => {
    const all = listIndustryDivisions();
    expect(all).toHaveLength(41);
    expect(all[0]).toEqual({ code: '06', name: '煤炭开采和洗选业', section: 'B' });
    expect(listIndustryDivisions('C').map((d) => d.code)).toEqual(Array.from({ length: 31 }, (_, i) => String(13 + i)));
    expect(listIndustryDivisions('D').map((d) => d.name)).toEqual([
      '电力、热力生产和供应业',
      '燃气生产和供应业',
      '水的生产和供应业',
    ]);
  });
});

describe('industry-codes table', () => {
  it('nests every class in a known group and division, with no duplicates', () => {
    const groups = new Set(INDUSTRY_GROUPS.map(([code]) => code));
    const divisions = new Set(INDUSTRY_DIVISIONS.map(([code]) => code));
    for (const [code, name] of INDUSTRY_CLASSES) {
      expect(code).toMatch(/^\d{4}$/);
      expect(name).toBe(name.trim());
      expect(groups.has(code.slice(0, 3)), code).toBe(true);
      expect(divisions.has(code.slice(0, 2)), code).toBe(true);
    }
    expect(new Set(INDUSTRY_CLASSES.map(([code]) => code)).size).toBe(INDUSTRY_CLASSES.length);
    expect(INDUSTRY_CLASSES.filter(([code]) => industrySection(code) === 'C')).toHaveLength(609);
  });

  it('is what the generator makes of the reference CSV', () => {
    const expected = renderIndustryCodesModule(readFileSync(INDUSTRY_CSV_PATH, 'utf8'));
    expect(readFileSync(INDUSTRY_MODULE_PATH, 'utf8'), 'run: npx tsx scripts/gen-industry-codes.ts').toBe(expected);
  });
});
