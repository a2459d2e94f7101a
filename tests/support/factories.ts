import type { Db } from '#server/db/client.ts';
import { nowIso } from '#server/platform/ids.ts';
import { newId } from '#server/platform/ids.ts';
import { composeUscc, insertEnterpriseSeeds } from '#server/modules/enterprises/enterprises.seed.ts';
import type { EnterpriseSeed } from '#server/modules/enterprises/enterprises.seed.ts';

/**
 * Test data factories: records with known values, written through the same seed path as the
 * demo district. Tests that need exact numbers build their own enterprises instead of relying
 * on the demo ones.
 */

let sequence = 0;

/** A fresh valid USCC (both checks pass), distinct from the demo district's. */
export function nextUscc(): string {
  sequence += 1;
  return composeUscc(`T${String(sequence).padStart(3, '0')}${String(process.pid % 10000).padStart(4, '0')}`);
}

export type EnterpriseOverrides = Partial<Omit<EnterpriseSeed, 'townId' | 'chainIds' | 'groupId'>> & {
  /** Unit name (default 何店镇). */
  town?: string;
  /** Chain names. */
  chains?: string[];
  /** Group name; created when missing. */
  group?: string;
  /** Shorthand for one open 规上 spell from `scaleSince` (default 2020-02). */
  aboveScale?: boolean;
  scaleSince?: string;
};

export type BuiltEnterprise = { id: string; uscc: string; name: string; townId: string };

export async function buildEnterprise(db: Db, overrides: EnterpriseOverrides = {}): Promise<BuiltEnterprise> {
  const townName = overrides.town ?? '何店镇';
  const town = await db.selectFrom('units').select('id').where('name', '=', townName).executeTakeFirstOrThrow();
  const chainIds = [];
  for (const name of overrides.chains ?? []) {
    chainIds.push((await db.selectFrom('industry_chains').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id);
  }
  let groupId: string | null = null;
  if (overrides.group) {
    const now = nowIso();
    groupId = (await db.selectFrom('enterprise_groups').select('id').where('name', '=', overrides.group).executeTakeFirst())?.id ?? null;
    if (!groupId) {
      groupId = newId();
      await db.insertInto('enterprise_groups').values({ id: groupId, name: overrides.group, created_at: now, updated_at: now }).execute();
    }
  }
  const uscc = overrides.uscc ?? nextUscc();
  const name = overrides.name ?? `测试企业${sequence}有限公司`;
  const spells = overrides.spells ?? (overrides.aboveScale ? [{ fromPeriod: overrides.scaleSince ?? '2020-02', fromReason: '年度入库' }] : []);
  const [id] = await insertEnterpriseSeeds(
    db,
    [{ industryCode: '3630', ...overrides, uscc, name, townId: town.id, chainIds, groupId, spells }],
    nowIso(),
  );
  return { id: id!, uscc, name, townId: town.id };
}
