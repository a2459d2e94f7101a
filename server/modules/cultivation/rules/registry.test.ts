import { describe, expect, it } from 'vitest';
import { CULTIVATION_RULES } from '#common/contracts/cultivation.ts';
import { evaluateEligibility } from '#server/modules/cultivation/cultivation.eligibility.ts';
import { innovativeSme2022 } from '#server/modules/cultivation/rules/innovative-sme.2022.ts';
import { RULE_SETS, ruleSetInForce, supersededSet } from '#server/modules/cultivation/rules/registry.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { annualRow, input } from '#tests/support/cultivation-input.ts';

// Rule-set selection by date: asOf picks the set in force; the 2022 gradient rules end on
// 2026-03-31 and then answer no_rule_set with the superseded set shown 仅供参考.

const data = input([annualRow(2019, {}), annualRow(2020, {}), annualRow(2021, { mainBusinessRevenue: '3000' })]);
const one = (rule: (typeof CULTIVATION_RULES)[number], asOf: string, sets?: readonly RuleSet[]) => evaluateEligibility(data, asOf, [rule], sets)[0]!;

describe('rule-set selection', () => {
  it('has one set per rule and date: no two sets of a rule overlap', () => {
    for (const rule of CULTIVATION_RULES) {
      const sets = RULE_SETS.filter((s) => s.rule === rule).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      expect(sets.length, rule).toBeGreaterThan(0);
      for (let i = 1; i < sets.length; i++) expect(sets[i - 1]!.effectiveTo !== null && sets[i - 1]!.effectiveTo! < sets[i]!.effectiveFrom).toBe(true);
    }
    expect(new Set(RULE_SETS.map((s) => s.id)).size).toBe(RULE_SETS.length);
  });

  it.each([
    ['innovative_sme', '2022-07-31', null],
    ['innovative_sme', '2022-08-01', 'innovative_sme.2022'],
    ['specialized_sme', '2026-03-31', 'specialized_sme.2022'],
    ['little_giant', '2026-04-01', null],
    ['high_tech', '2015-12-31', null],
    ['high_tech', '2016-01-01', 'high_tech.2016'],
    ['high_tech', '2030-01-01', 'high_tech.2016'],
    ['tech_sme', '2017-05-02', null],
    ['tech_sme', '2017-05-03', 'tech_sme.2017'],
    ['above_scale', '2010-12-31', null],
    ['above_scale', '2011-01-01', 'above_scale.2011'],
  ] as const)('%s on %s → %s', (rule, asOf, id) => {
    expect(ruleSetInForce(rule, asOf)?.id ?? null).toBe(id);
    const e = one(rule, asOf);
    expect(e.ruleSet?.id ?? null).toBe(id);
    if (id === null) expect(e.outcome).toBe('no_rule_set');
  });

  it.each(['innovative_sme', 'specialized_sme', 'little_giant'] as const)('%s after 2026-03-31: no_rule_set, the 2022 set shown 仅供参考', (rule) => {
    const e = one(rule, '2026-04-01');
    expect(e).toMatchObject({ outcome: 'no_rule_set', ruleSet: null, score: null, criteria: [], dataYear: 2025 });
    expect(e.reference?.ruleSet?.id).toBe(`${rule}.2022`);
    expect(e.reference?.note).toContain('仅供参考');
    expect(e.reference?.criteria.length).toBeGreaterThan(0);
  });

  it('before a rule first took effect there is nothing to show for reference', () => {
    expect(one('innovative_sme', '2022-07-31').reference).toBeNull();
    expect(supersededSet('innovative_sme', '2022-07-31')).toBeNull();
  });

  it('takes a verified successor added as new data, leaving the old set untouched', () => {
    const successor: RuleSet = { ...innovativeSme2022, id: 'innovative_sme.2026', title: '（测试）2026 标准', effectiveFrom: '2026-04-01', effectiveTo: null };
    const sets = [...RULE_SETS, successor];
    expect(one('innovative_sme', '2026-04-01', sets)).toMatchObject({ ruleSet: { id: 'innovative_sme.2026' }, reference: null });
    expect(one('innovative_sme', '2026-03-31', sets).ruleSet?.id).toBe('innovative_sme.2022');
    expect(innovativeSme2022.effectiveTo).toBe('2026-03-31');
  });

  it('reads the year before asOf and reports it', () => {
    expect(one('above_scale', '2022-12-31')).toMatchObject({ dataYear: 2021, outcome: 'eligible', asOf: '2022-12-31' });
    expect(one('above_scale', '2023-01-01')).toMatchObject({ dataYear: 2022, outcome: 'insufficient_data', missing: ['2022年主营业务收入'] });
  });

  it('answers every rule, each naming its source documents', () => {
    const all = evaluateEligibility(data, '2022-12-31');
    expect(all.map((e) => e.rule)).toEqual([...CULTIVATION_RULES]);
    for (const e of all) expect(e.ruleSet?.documents.length).toBeGreaterThan(0);
  });
});
