import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  beijingToday,
  formatPeriodZh,
  isFuturePeriod,
  isPeriod,
  makePeriod,
  monthOf,
  parsePeriod,
  periodsOfYear,
  previousPeriod,
  samePeriodLastYear,
  yearOf,
  type Period,
} from './period.ts';

function period(text: string): Period {
  if (!isPeriod(text)) throw new Error(`test fixture is not a period: ${text}`);
  return text;
}

/** Run with the process in another time zone (Node re-reads TZ when it changes). */
function withMachineZone(zone: string, run: () => void): void {
  const machineZone = process.env.TZ;
  process.env.TZ = zone;
  try {
    run();
  } finally {
    if (machineZone === undefined) delete process.env.TZ;
    else process.env.TZ = machineZone;
  }
}

function messageOf(input: string | number | Date): string {
  const result = parsePeriod(input);
  if (result.ok) throw new Error(`expected a refusal for ${String(input)}, got ${result.period}`);
  return result.message;
}

describe('parsePeriod: accepted forms', () => {
  it.each<[string | number | Date, string]>([
    ['2022-06', '2022-06'],
    ['2022-6', '2022-06'],
    ['202206', '2022-06'],
    [202206, '2022-06'],
    ['2022年6月', '2022-06'],
    ['2022年06月', '2022-06'],
    ['2022年6月份', '2022-06'],
    ['2022年1-6月', '2022-06'],
    ['2022年1—6月', '2022-06'],
    ['2022年1~6月', '2022-06'],
    ['2022年1至6月', '2022-06'],
    ['2022年1-2月', '2022-02'],
    ['2022年2月', '2022-02'],
    ['2022-02', '2022-02'],
    ['2022年1-12月', '2022-12'],
    ['2022.06', '2022-06'],
    ['2022/6', '2022-06'],
    ['２０２２年１－６月', '2022-06'],
    [' 2022 年 1 - 6 月 ', '2022-06'],
    ['\u30002022-06\n', '2022-06'],
    [44713, '2022-06'], // Excel serial of 2022-06-01
    [44742.75, '2022-06'], // 2022-06-30 18:00: the time of day is dropped
    [new Date(Date.UTC(2022, 5, 30, 23, 0)), '2022-06'], // UTC fields, whatever the machine's zone
    [new Date(Date.UTC(2022, 11, 31)), '2022-12'],
  ])('%s → %s', (input, expected) => {
    expect(parsePeriod(input)).toEqual({ ok: true, period: expected });
  });
});

describe('parsePeriod: January is reported with February', () => {
  it.each<string | number | Date>(['2022-01', '202201', 202201, '2022年1月', '2022年01月', '2022.1', '2022年1-1月', 44562, new Date(Date.UTC(2022, 0, 15))])(
    '%s is refused with a pointer to 1–2月',
    (input) => {
      expect(messageOf(input)).toBe('1–2月合并报送，请填 2022年1-2月');
    },
  );
  it('puts the year of the input into the message', () => {
    expect(messageOf('2019-01')).toBe('1–2月合并报送，请填 2019年1-2月');
  });
});

describe('parsePeriod: time zones', () => {
  it('reads Dates and Excel serials by their UTC fields even when the machine is not on UTC', () => {
    // 2022-07-01T00:30Z is still 30 June in Los Angeles.
    withMachineZone('America/Los_Angeles', () => {
      expect(parsePeriod(new Date(Date.UTC(2022, 6, 1, 0, 30)))).toEqual({ ok: true, period: '2022-07' });
      expect(parsePeriod(44743)).toEqual({ ok: true, period: '2022-07' }); // Excel serial of 2022-07-01
      expect(messageOf(new Date(Date.UTC(2023, 0, 1, 0, 30)))).toBe('1–2月合并报送，请填 2023年1-2月');
    });
  });
});

describe('parsePeriod: refusals say what to fix', () => {
  it('refuses a month out of range', () => {
    expect(messageOf('2022-13')).toContain('月份不对');
    expect(messageOf('2022年0月')).toContain('月份不对');
  });
  it('refuses an implausible year', () => {
    expect(messageOf('2202-06')).toContain('年份不对');
    expect(messageOf(new Date(Date.UTC(1995, 5, 1)))).toContain('年份不对');
    expect(messageOf(1)).toContain('年份不对'); // Excel serial 1 is 1899-12-31
  });
  it('refuses a cumulative range that does not start in January', () => {
    expect(messageOf('2022年3-6月')).toBe('报告期按1月起累计，请填 2022年1-6月 这样的形式');
  });
  it('refuses text it cannot read, with examples', () => {
    expect(messageOf('上月')).toBe('无法识别报告期「上月」，请填写如 2022-06、202206 或 2022年1-6月');
    expect(messageOf('2022-06-15')).toContain('无法识别');
    expect(messageOf('')).toContain('无法识别');
  });
  it('refuses invalid numbers and dates', () => {
    expect(messageOf(Number.NaN)).toContain('无效');
    expect(messageOf(Number.POSITIVE_INFINITY)).toContain('无效');
    expect(messageOf(new Date(Number.NaN))).toContain('无效');
    expect(messageOf(1e300)).toContain('无效');
  });
});

describe('period arithmetic', () => {
  it('gives year and month', () => {
    expect(yearOf(period('2022-06'))).toBe(2022);
    expect(monthOf(period('2022-06'))).toBe(6);
    expect(monthOf(period('2022-02'))).toBe(2);
  });
  it('formats the cumulative Chinese label', () => {
    expect(formatPeriodZh(period('2022-06'))).toBe('2022年1-6月');
    expect(formatPeriodZh(period('2022-02'))).toBe('2022年1-2月');
    expect(formatPeriodZh(period('2022-12'))).toBe('2022年1-12月');
  });
  it('steps back within the year and stops at 1–2月', () => {
    expect(previousPeriod(period('2022-03'))).toBe('2022-02');
    expect(previousPeriod(period('2022-12'))).toBe('2022-11');
    expect(previousPeriod(period('2022-02'))).toBeNull();
  });
  it('finds the same period last year across the year boundary', () => {
    expect(samePeriodLastYear(period('2022-06'))).toBe('2021-06');
    expect(samePeriodLastYear(period('2022-02'))).toBe('2021-02');
    expect(samePeriodLastYear(period('2000-12'))).toBe('1999-12');
  });
  it('lists eleven periods in a year, 1–2月 first', () => {
    const periods = periodsOfYear(2022);
    expect(periods).toHaveLength(11);
    expect(periods[0]).toBe('2022-02');
    expect(periods[10]).toBe('2022-12');
    expect(periods).not.toContain('2022-01');
  });
  it('builds periods and refuses non-periods', () => {
    expect(makePeriod(2022, 6)).toBe('2022-06');
    expect(() => makePeriod(2022, 1)).toThrow(RangeError);
    expect(() => makePeriod(2022, 13)).toThrow(RangeError);
    expect(() => makePeriod(2022.5, 6)).toThrow(RangeError);
    expect(isPeriod('2022-01')).toBe(false);
    expect(isPeriod('2022-6')).toBe(false);
    expect(isPeriod(202206)).toBe(false);
  });
});

describe('isFuturePeriod', () => {
  it('treats a period as future until its first day in Beijing', () => {
    expect(isFuturePeriod(period('2022-06'), '2022-05-31')).toBe(true);
    expect(isFuturePeriod(period('2022-06'), '2022-06-01')).toBe(false);
    expect(isFuturePeriod(period('2022-06'), '2022-07-16')).toBe(false);
  });
  it('starts the combined 1–2月 period on 1 January', () => {
    expect(isFuturePeriod(period('2023-02'), '2022-12-31')).toBe(true);
    expect(isFuturePeriod(period('2023-02'), '2023-01-01')).toBe(false);
  });
  it('compares across years', () => {
    expect(isFuturePeriod(period('2023-03'), '2022-12-31')).toBe(true);
    expect(isFuturePeriod(period('2021-12'), '2022-01-01')).toBe(false);
  });
  it('throws on a malformed date, a programming error', () => {
    expect(() => isFuturePeriod(period('2022-06'), '2022/06/01')).toThrow(RangeError);
  });
});

describe('beijingToday', () => {
  it.each(['UTC', 'America/Los_Angeles', 'Asia/Tokyo'])('is UTC+8 when the machine is on %s', (zone) => {
    withMachineZone(zone, () => {
      expect(beijingToday(new Date('2022-06-30T15:59:59Z'))).toBe('2022-06-30');
      expect(beijingToday(new Date('2022-06-30T16:00:00Z'))).toBe('2022-07-01');
      expect(beijingToday(new Date('2022-12-31T16:00:00Z'))).toBe('2023-01-01');
    });
  });
  it('defaults to now', () => {
    expect(beijingToday()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('period properties', () => {
  const anyPeriod = fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 2, max: 12 })).map(([y, m]) => makePeriod(y, m));

  it('parses back what it formats, in every written form', () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        expect(parsePeriod(formatPeriodZh(p))).toEqual({ ok: true, period: p });
        expect(parsePeriod(p)).toEqual({ ok: true, period: p });
        expect(parsePeriod(Number(p.replace('-', '')))).toEqual({ ok: true, period: p });
        expect(parsePeriod(new Date(Date.UTC(yearOf(p), monthOf(p) - 1, 28)))).toEqual({ ok: true, period: p });
      }),
    );
  });
  it('puts every period after its predecessor and after last year', () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        const previous = previousPeriod(p);
        if (previous !== null) expect(previous < p).toBe(true);
        expect(samePeriodLastYear(p) < p).toBe(true);
      }),
    );
  });
  it('never throws on anything a cell may hold', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => void parsePeriod(text)));
    fc.assert(fc.property(fc.double(), (n) => void parsePeriod(n)));
    fc.assert(fc.property(fc.date({ noInvalidDate: false }), (d) => void parsePeriod(d)));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9０-９年月\-—./ ]{0,12}$/), (text) => {
        const result = parsePeriod(text);
        if (result.ok) expect(isPeriod(result.period)).toBe(true);
      }),
    );
  });
});
