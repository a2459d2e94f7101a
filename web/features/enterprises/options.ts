import { useMemo } from 'react';
import { listIndustryDivisions } from '#common/industry.ts';
import { TOWN_KINDS } from '#common/contracts/org.ts';
import { useMe } from '#web/features/auth/session.tsx';
import { useUnits } from '#web/features/org/api.ts';
import { useChains } from '#web/features/enterprises/api.ts';

/** The towns (streets, towns, zones) the user may pick: all for the district, its own for a town. */
export function useTownOptions() {
  const me = useMe();
  const units = useUnits();
  const options = useMemo(() => {
    const towns = (units.data ?? []).filter((u) => u.active && TOWN_KINDS.includes(u.kind));
    const scope = me.scope;
    const reachable = scope.kind === 'town' ? towns.filter((u) => scope.unitIds.includes(u.id)) : towns;
    return reachable.map((u) => ({ value: u.id, label: u.name }));
  }, [units.data, me.scope]);
  return { options, loading: units.isPending };
}

export function useChainOptions() {
  const chains = useChains();
  const options = useMemo(() => (chains.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name })), [chains.data]);
  return { options, loading: chains.isPending };
}

/** GB/T 4754 divisions (大类) of 规上工业 for the industry filter. */
export const INDUSTRY_DIVISION_OPTIONS = listIndustryDivisions().map((d) => ({ value: d.code, label: `${d.code} ${d.name}` }));

export const SORT_OPTIONS = [
  { value: 'town', label: '按镇街' },
  { value: 'name', label: '按企业名称' },
  { value: 'industryCode', label: '按行业代码' },
  { value: '-updatedAt', label: '最近更新在前' },
  { value: '-createdAt', label: '最近登记在前' },
];
