import { useQuery } from '@tanstack/react-query';
import type { Unit } from '#common/contracts/org.ts';
import { http } from '#web/lib/http.ts';

/** Server calls of the organisation module: the district's unit tree. */

export type { Unit };
export const UNITS_KEY = ['units'] as const;

export async function listUnits(signal?: AbortSignal): Promise<Unit[]> {
  return (await http.get<{ items: Unit[] }>('/api/units', undefined, signal)).items;
}

/** The units change rarely: one fetch serves every page that picks or shows a unit. */
export function useUnits() {
  return useQuery({ queryKey: UNITS_KEY, queryFn: ({ signal }) => listUnits(signal), staleTime: 5 * 60_000 });
}
