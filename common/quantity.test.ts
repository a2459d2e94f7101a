import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  MONEY_UNITS,
  convertMoney,
  isMoneyUnit,
  moneyUnitFactor,
  parseNumberCell,
  fromThousandths,
  parseUnitSuffix,
  shiftDecimal,
  toHalfWidth,
  toThousandths,
} from './quantity.ts';

describe('toHalfWidth', () => {
  it('turns full-width digits, brackets, punctuation and the ideographic space into ASCII', () => {
    expect(toHalfWidth('２０２２年（千元）１，２３４．５\u3000％')).toBe('2022年(千元)1,234.5 %');
  });
});

describe('parseUnitSuffix', () => {
  it('takes the unit from full-width brackets', () => {
    expect(parseUnitSuffix('工业总产值（千元）')).toEqual({ base: '工业总产值', unit: '千元' });
  });
  it('takes the unit from half-width brackets', () => {
    expect(parseUnitSuffix('营业收入(万元)')).toEqual({ base: '营业收入', unit: '万元' });
  });
  it('tolerates spaces, mixed brackets and the line break of a wrapped header cell', () => {
    expect(parseUnitSuffix('  营业收入 \n（ 万元 ) ')).toEqual({ base: '营业收入', unit: '万元' });
    expect(parseUnitSuffix('企业用电量\r\n(万千瓦时)')).toEqual({ base: '企业用电量', unit: '万千瓦时' });
  });
  it('takes only the last bracket, keeping an earlier qualifier in the name', () => {
    expect(parseUnitSuffix('工业总产值(当年价格)（千元）')).toEqual({ base: '工业总产值(当年价格)', unit: '千元' });
  });
  it('returns a null unit when there is no trailing bracket or it is empty', () => {
    expect(parseUnitSuffix('企业名称')).toEqual({ base: '企业名称', unit: null });
    expect(parseUnitSuffix('营业收入（万元）合计')).toEqual({ base: '营业收入(万元)合计', unit: null });
    expect(parseUnitSuffix('营业收入（）')).toEqual({ base: '营业收入', unit: null });
  });
});

describe('moneyUnitFactor', () => {
  it('gives each money unit in 元 as an exact integer', () => {
    expect(moneyUnitFactor('元')).toBe(1);
    expect(moneyUnitFactor('千元')).toBe(1000);
    expect(moneyUnitFactor('万元')).toBe(10000);
    expect(moneyUnitFactor('亿元')).toBe(100000000);
  });
  it('returns null for units that are not money', () => {
    expect(moneyUnitFactor('万千瓦时')).toBeNull();
    expect(moneyUnitFactor('吨')).toBeNull();
    expect(moneyUnitFactor('')).toBeNull();
    expect(isMoneyUnit('toString')).toBe(false);
  });
});

describe('convertMoney', () => {
  it('converts between units by shifting the decimal point exactly', () => {
    expect(convertMoney('1234.5', '千元', '万元')).toBe('123.45');
    expect(convertMoney('123.45', '万元', '千元')).toBe('1234.5');
    expect(convertMoney('2.5', '亿元', '元')).toBe('250000000');
    expect(convertMoney('0.01', '元', '亿元')).toBe('0.0000000001');
    expect(convertMoney('-30', '万元', '亿元')).toBe('-0.003');
  });
  it('avoids the float error that 0.1 + 0.2 style arithmetic would introduce', () => {
    // 1.1 万元 × 10 000 in floats is 11000.000000000002
    expect(convertMoney('1.1', '万元', '元')).toBe('11000');
    expect(convertMoney('0.3', '千元', '元')).toBe('300');
  });
  it('returns a canonical decimal', () => {
    expect(convertMoney('000120.500', '元', '元')).toBe('120.5');
    expect(convertMoney('-0.000', '万元', '元')).toBe('0');
    expect(convertMoney('+5', '元', '千元')).toBe('0.005');
  });
  it('throws on a malformed value, which is a programming error', () => {
    expect(() => convertMoney('1,234', '元', '万元')).toThrow(RangeError);
    expect(() => convertMoney('', '元', '万元')).toThrow(RangeError);
  });

  const decimalString = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.nat({ max: 12 }))
    .map(([negative, magnitude, scale]) => {
      const digits = magnitude.toString().padStart(scale + 1, '0');
      const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return negative ? `-${text}` : text;
    });
  const unit = fc.constantFrom(...MONEY_UNITS);

  it('round-trips exactly: to another unit and back gives the canonical input', () => {
    fc.assert(
      fc.property(decimalString, unit, unit, (value, from, to) => {
        expect(convertMoney(convertMoney(value, from, to), to, from)).toBe(convertMoney(value, from, from));
      }),
    );
  });
  it('agrees with integer arithmetic in 元', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), unit, (yuan, to) => {
        const inUnit = convertMoney(yuan.toString(), '元', to);
        expect(convertMoney(inUnit, to, '元')).toBe(yuan.toString());
      }),
    );
  });
});

describe('parseNumberCell', () => {
  it('accepts numbers as exact canonical decimals', () => {
    expect(parseNumberCell(1234.5)).toEqual({ ok: true, value: '1234.5' });
    expect(parseNumberCell(3.0)).toEqual({ ok: true, value: '3' });
    expect(parseNumberCell(-0)).toEqual({ ok: true, value: '0' });
    expect(parseNumberCell(1e21)).toEqual({ ok: true, value: '1000000000000000000000' });
    expect(parseNumberCell(1.5e-7)).toEqual({ ok: true, value: '0.00000015' });
    expect(parseNumberCell(12345678901234567890n)).toEqual({ ok: true, value: '12345678901234567890' });
  });
  it('accepts numeric strings with thousands separators, spaces, signs and full-width digits', () => {
    expect(parseNumberCell('1,234.5')).toEqual({ ok: true, value: '1234.5' });
    expect(parseNumberCell(' 1,234,567 ')).toEqual({ ok: true, value: '1234567' });
    expect(parseNumberCell('１，２３４．５０')).toEqual({ ok: true, value: '1234.5' });
    expect(parseNumberCell('\u3000-0012.30\n')).toEqual({ ok: true, value: '-12.3' });
    expect(parseNumberCell('+.5')).toEqual({ ok: true, value: '0.5' });
    expect(parseNumberCell('5.')).toEqual({ ok: true, value: '5' });
    expect(parseNumberCell('−3')).toEqual({ ok: true, value: '-3' });
  });
  it('accepts a trailing % only for percentage columns, keeping the figure as written', () => {
    expect(parseNumberCell('12.5%', { percent: true })).toEqual({ ok: true, value: '12.5' });
    expect(parseNumberCell('-3％', { percent: true })).toEqual({ ok: true, value: '-3' });
    expect(parseNumberCell('12.5', { percent: true })).toEqual({ ok: true, value: '12.5' });
    const refused = parseNumberCell('12.5%');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toContain('百分号');
  });
  it('refuses text with a Chinese message saying what to fix', () => {
    const cases: Array<[unknown, string]> = [
      ['暂无', '不是数值'],
      ['12万', '单位'],
      ['约300元', '单位'],
      ['1,23', '千分位'],
      ['1.2E+11', '科学计数法'],
      ['', '未填写'],
      ['   ', '未填写'],
      [null, '未填写'],
      [undefined, '未填写'],
      [Number.NaN, '无效'],
      [Number.POSITIVE_INFINITY, '无效'],
      [true, '无法识别'],
      ['1.2.3', '不是数值'],
      ['-', '不是数值'],
    ];
    for (const [raw, fragment] of cases) {
      const result = parseNumberCell(raw);
      expect(result, String(raw)).toMatchObject({ ok: false });
      if (!result.ok) expect(result.message).toContain(fragment);
    }
  });
  it('never throws, whatever the cell holds', () => {
    fc.assert(
      fc.property(fc.anything(), fc.boolean(), (raw, percent) => {
        const result = parseNumberCell(raw, { percent });
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (raw) => void parseNumberCell(raw)));
  });
  it('returns every finite number as a decimal equal to it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const result = parseNumberCell(value);
        expect(result.ok).toBe(true);
        if (result.ok) expect(Number(result.value)).toBe(value === 0 ? 0 : value);
      }),
    );
  });
});

describe('thousandths, the database form of indicator values (ADR 0001)', () => {
  it('converts exactly both ways', () => {
    expect(toThousandths('1234.5')).toEqual({ thousandths: 1_234_500n, rounded: false });
    expect(toThousandths('-0.005')).toEqual({ thousandths: -5n, rounded: false });
    expect(toThousandths('12')).toEqual({ thousandths: 12_000n, rounded: false });
    expect(fromThousandths(1_234_500n)).toBe('1234.5');
    expect(fromThousandths(-5n)).toBe('-0.005');
    expect(fromThousandths(0n)).toBe('0');
    // Far beyond 2^53 stays exact.
    expect(fromThousandths(toThousandths('123456789012345678.901').thousandths)).toBe('123456789012345678.901');
  });

  it('rounds a fourth decimal half away from zero and says so', () => {
    expect(toThousandths('1.2345')).toEqual({ thousandths: 1235n, rounded: true });
    expect(toThousandths('1.2344')).toEqual({ thousandths: 1234n, rounded: true });
    expect(toThousandths('-1.2345')).toEqual({ thousandths: -1235n, rounded: true });
  });

  it('moves the decimal point for units a power of ten apart', () => {
    expect(shiftDecimal('12.3456', 1)).toBe('123.456');
    expect(shiftDecimal('15', -4)).toBe('0.0015');
    expect(shiftDecimal('0.5', 8)).toBe('50000000');
    expect(() => shiftDecimal('1e5', 1)).toThrow(RangeError);
  });
});
