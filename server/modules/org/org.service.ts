import type { Unit, UnitKind } from '#common/contracts/org.ts';
import { TOWN_KINDS } from '#common/contracts/org.ts';
import type { Db } from '#server/db/client.ts';
import type { UnitsTable } from '#server/db/schema.ts';
import { listUnitRows } from '#server/modules/org/org.repo.ts';

export function presentUnit(row: UnitsTable): Unit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    shortName: row.short_name,
    kind: row.kind as UnitKind,
    parentId: row.parent_id,
    aliases: JSON.parse(row.aliases) as string[],
    active: row.active === 1,
  };
}

/** Every unit of the district, bureau first, then sections, centres and the towns in code order. */
export async function listUnits(db: Db): Promise<Unit[]> {
  return (await listUnitRows(db)).map(presentUnit);
}

/** The unit and every unit below it: what a town account's scope covers. */
export function unitAndDescendants(units: readonly Pick<Unit, 'id' | 'parentId'>[], rootId: string): string[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) {
    for (const u of units) if (u.parentId === out[i] && !out.includes(u.id)) out.push(u.id);
  }
  return out;
}

export function isTownUnit(unit: Pick<Unit, 'kind'>): boolean {
  return TOWN_KINDS.includes(unit.kind);
}

const normaliseName = (s: string) => s.replace(/[\s\u3000]/g, '');

/**
 * Finds a district unit by what a clerk writes in a spreadsheet: its current name, its
 * statistical code, or a former name (城南新区街道 → 涢水街道). Inactive units are not matched.
 */
export function resolveUnit(units: readonly Unit[], text: string): Unit | undefined {
  const wanted = normaliseName(text);
  if (!wanted) return undefined;
  const active = units.filter((u) => u.active);
  return (
    active.find((u) => u.code === wanted || normaliseName(u.name) === wanted) ??
    active.find((u) => u.aliases.some((a) => normaliseName(a) === wanted) || (u.shortName && normaliseName(u.shortName) === wanted))
  );
}
