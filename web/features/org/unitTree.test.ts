import { describe, expect, it } from 'vitest';
import type { Unit } from '#common/contracts/org.ts';
import { buildUnitTree, unitMatches } from '#web/features/org/unitTree.ts';

const unit = (id: string, code: string, parentId: string | null, extra: Partial<Unit> = {}): Unit => ({
  id,
  code,
  name: id,
  shortName: null,
  kind: 'town',
  parentId,
  aliases: [],
  active: true,
  ...extra,
});

describe('unit tree', () => {
  it('nests units under their parent in code order', () => {
    const tree = buildUnitTree([unit('b', '2', 'root'), unit('root', '0', null), unit('a', '1', 'root')]);
    expect(tree.map((n) => n.id)).toEqual(['root']);
    expect(tree[0]?.children?.map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('puts the bureau before the towns whatever their codes', () => {
    const tree = buildUnitTree([unit('何店镇', '421303102', null), unit('局', 'KJJ', null, { kind: 'bureau' }), unit('西城街道', '421303001', null, { kind: 'street' })]);
    expect(tree.map((n) => n.id)).toEqual(['局', '西城街道', '何店镇']);
  });

  it('finds a unit by a former name', () => {
    expect(unitMatches(unit('涢水街道', '421303003', null, { aliases: ['城南新区街道'] }), '城南')).toBe(true);
    expect(unitMatches(unit('何店镇', '421303100', null), '万店')).toBe(false);
  });
});
