import { describe, expect, it } from 'vitest';
import {
  checkIndustryInput,
  lastPeriodBefore,
  parseCalendarDate,
  parseScalePeriod,
  parseYesNo,
  periodOfDate,
  planScale,
  resolveChain,
  splitList,
} from '#server/modules/enterprises/enterprises.rules.ts';
import type { Spell } from '#server/modules/enterprises/enterprises.rules.ts';
import type { Period } from '#common/period.ts';

const p = (s: string) => s as Period;

describe('enterprise rules', () => {
  it('reads 规上 periods as clerks write them, January being part of 1–2月', () => {
    for (const [input, expected] of [
      ['2022-06', '2022-06'],
      ['2022年6月', '2022-06'],
      ['2022年1-2月', '2022-02'],
      ['2022-01', '2022-02'],
      ['2022年1月', '2022-02'],
      ['202201', '2022-02'],
    ] as const) {
      expect(parseScalePeriod(input, '规上起始年月')).toEqual({ ok: true, value: expected });
    }
    expect(parseScalePeriod(new Date(Date.UTC(2021, 0, 1)), '规上起始年月')).toEqual({ ok: true, value: '2021-02' });
    expect(parseScalePeriod('明年', '规上起始年月')).toMatchObject({ ok: false, message: expect.stringContaining('规上起始年月：无法识别报告期') });
  });

  it('reads dates and refuses text, impossible and future dates', () => {
    expect(parseCalendarDate('2015/6/30', '成立日期', '2026-11-27')).toEqual({ ok: true, value: '2015-06-30' });
    expect(parseCalendarDate('2015年6月30日', '成立日期', '2026-11-27')).toEqual({ ok: true, value: '2015-06-30' });
    expect(parseCalendarDate(42185, '成立日期', '2026-11-27')).toEqual({ ok: true, value: '2015-06-30' });
    expect(parseCalendarDate('2015-02-30', '成立日期', '2026-11-27')).toMatchObject({ ok: false, message: expect.stringContaining('不是有效的日期') });
    expect(parseCalendarDate('去年', '成立日期', '2026-11-27')).toMatchObject({ ok: false, message: expect.stringContaining('无法识别为日期') });
    expect(parseCalendarDate('2026-11-28', '成立日期', '2026-11-27')).toMatchObject({ ok: false, message: expect.stringContaining('晚于今天') });
  });

  it('restores the leading zero Excel drops from mining codes', () => {
    expect(checkIndustryInput(610).code).toBe('0610');
    expect(checkIndustryInput(3630).code).toBe('3630');
    expect(checkIndustryInput(363).errors[0]).toContain('中类代码');
  });

  it('reads yes/no, lists and chain aliases', () => {
    expect(parseYesNo(' 是 ', '是否规上')).toEqual({ ok: true, value: true });
    expect(parseYesNo('否', '是否规上')).toEqual({ ok: true, value: false });
    expect(parseYesNo('', '是否规上')).toMatchObject({ ok: false });
    expect(splitList('专汽、农产品加工, 装备制造；专汽')).toEqual(['专汽', '农产品加工', '装备制造']);
    const chains = [{ name: '专汽及零部件', code: 'ZQ', aliases: ['专汽'] }];
    expect(resolveChain(chains, ' 专汽 ')?.code).toBe('ZQ');
    expect(resolveChain(chains, '专 汽 及零部件')?.code).toBe('ZQ');
    expect(resolveChain(chains, '飞船')).toBeUndefined();
  });

  it('knows the period boundaries of 退库', () => {
    expect(lastPeriodBefore(p('2023-02'))).toBe('2022-12');
    expect(lastPeriodBefore(p('2022-07'))).toBe('2022-06');
    expect(periodOfDate('2026-01-15')).toBe('2026-02');
    expect(periodOfDate('2026-11-27')).toBe('2026-11');
  });

  describe('规上 spells', () => {
    const open: Spell = { id: 's1', fromPeriod: '2019-02', fromReason: '年度入库', toPeriod: null, toReason: null };
    const closed: Spell = { id: 's0', fromPeriod: '2015-02', fromReason: '年度入库', toPeriod: '2018-12', toReason: '退库' };
    const today = '2026-11-27';

    it('opens a spell, with the reason from its month', () => {
      expect(planScale([], { aboveScale: true, since: p('2022-02') }, today).ops).toEqual([{ kind: 'open', fromPeriod: '2022-02', fromReason: '年度入库' }]);
      expect(planScale([], { aboveScale: true, since: p('2022-06') }, today).ops).toEqual([{ kind: 'open', fromPeriod: '2022-06', fromReason: '月度入库' }]);
      expect(planScale([], { aboveScale: true }, today).problems[0]?.field).toBe('scaleSince');
      expect(planScale([], { aboveScale: true, since: p('2027-02') }, today).problems[0]?.message).toContain('晚于本月');
      expect(planScale([], { aboveScale: false, since: p('2022-02') }, today).ops).toEqual([]);
    });

    it('corrects the start of the current spell, never overlapping an earlier one', () => {
      expect(planScale([closed, open], { aboveScale: true, since: p('2019-02') }, today).ops).toEqual([]);
      expect(planScale([closed, open], { aboveScale: true }, today).ops).toEqual([]);
      expect(planScale([closed, open], { since: p('2020-05') }, today).ops).toEqual([{ kind: 'move-start', spellId: 's1', fromPeriod: '2020-05', fromReason: '月度入库' }]);
      expect(planScale([closed, open], { aboveScale: true, since: p('2018-06') }, today).problems[0]?.message).toContain('不能早于上次退库');
    });

    it('closes the current spell with 退库, by default in the current period', () => {
      expect(planScale([open], { aboveScale: false, exit: p('2023-02') }, today).ops).toEqual([{ kind: 'close', spellId: 's1', toPeriod: '2022-12', toReason: '退库' }]);
      const byDefault = planScale([open], { aboveScale: false }, today);
      expect(byDefault.ops).toEqual([{ kind: 'close', spellId: 's1', toPeriod: '2026-10', toReason: '退库' }]);
      expect(byDefault.notes[0]).toContain('2026-11');
      expect(planScale([open], { aboveScale: false, exit: p('2019-02') }, today).problems[0]?.field).toBe('scaleExit');
      expect(planScale([closed], { aboveScale: false }, today).ops).toEqual([]);
    });
  });
});
