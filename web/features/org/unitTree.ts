import { UNIT_KINDS, type Unit, type UnitKind } from '#common/contracts/org.ts';

export type UnitNode = Unit & { children?: UnitNode[] };

/**
 * Units as a tree by `parentId`: the bureau first, then streets, towns and zones (the order of
 * UNIT_KINDS), each kind in code order. Orphans (parent not visible) become roots.
 */
export function buildUnitTree(units: readonly Unit[]): UnitNode[] {
  const byId = new Map<string, UnitNode>(units.map((u) => [u.id, { ...u }]));
  const roots: UnitNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  const sort = (nodes: UnitNode[]) => {
    nodes.sort((a, b) => UNIT_KINDS.indexOf(a.kind) - UNIT_KINDS.indexOf(b.kind) || a.code.localeCompare(b.code));
    for (const n of nodes) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Tag colours of the unit kinds, the same on every page. */
export const UNIT_KIND_COLORS: Record<UnitKind, string> = {
  bureau: 'geekblue',
  section: 'blue',
  center: 'cyan',
  street: 'green',
  town: 'lime',
  zone: 'gold',
};

/** Does the unit match a search by name, short name, code or former name? */
export function unitMatches(unit: Unit, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [unit.name, unit.shortName ?? '', unit.code, ...unit.aliases].some((s) => s.toLowerCase().includes(needle));
}
