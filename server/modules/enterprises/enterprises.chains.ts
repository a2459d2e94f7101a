import type { Chain, ChainKind } from '#common/contracts/enterprises.ts';
import type { Db, Dialect } from '#server/db/client.ts';
import type { IndustryChainsTable } from '#server/db/schema.ts';
import type { Actor, AuditLog } from '#server/platform/audit.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import type { DistrictConfig } from '#server/modules/org/org.district.ts';

export function presentChain(row: IndustryChainsTable): Chain {
  return { id: row.id, code: row.code, name: row.name, kind: row.kind as ChainKind, aliases: JSON.parse(row.aliases) as string[], active: row.active === 1 };
}

/** The district's industry chains in configured order; inactive ones (left the configuration) last. */
export async function listChains(db: Db): Promise<Chain[]> {
  const rows = await db.selectFrom('industry_chains').selectAll().orderBy('active', 'desc').orderBy('sort_order').orderBy('code').execute();
  return rows.map(presentChain);
}

/**
 * Creates or updates the configured chains (matched by code) in one audited transaction, as
 * units are synced. A chain that leaves the configuration is marked inactive, never deleted:
 * enterprises and figures may point at it.
 */
export async function syncIndustryChains(
  deps: { db: Db; dialect: Dialect; audit: AuditLog },
  actor: Actor,
  chains: DistrictConfig['chains'],
): Promise<{ created: number; updated: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('industry_chains').selectAll().execute();
    const byCode = new Map(existing.map((c) => [c.code, c]));
    const now = nowIso();
    let created = 0;
    let updated = 0;
    for (const [index, spec] of chains.entries()) {
      const values = { name: spec.name, kind: spec.kind, aliases: JSON.stringify(spec.aliases), sort_order: index, active: 1 };
      const current = byCode.get(spec.code);
      if (!current) {
        const id = newId();
        await trx.insertInto('industry_chains').values({ id, code: spec.code, ...values, created_at: now, updated_at: now }).execute();
        await bumpDataVersion(trx, 'monitoring');
        await deps.audit.append(trx, actor, { action: 'chain.create', entityType: 'industry_chain', entityId: id, after: { code: spec.code, ...values } });
        created++;
        continue;
      }
      const before = { name: current.name, kind: current.kind, aliases: current.aliases, sort_order: current.sort_order, active: current.active };
      if (JSON.stringify(before) === JSON.stringify(values)) continue;
      await trx.updateTable('industry_chains').set({ ...values, updated_at: now }).where('id', '=', current.id).execute();
      await bumpDataVersion(trx, 'monitoring');
      await deps.audit.append(trx, actor, { action: 'chain.update', entityType: 'industry_chain', entityId: current.id, before, after: values });
      updated++;
    }
    const configured = new Set(chains.map((c) => c.code));
    for (const chain of existing) {
      if (configured.has(chain.code) || chain.active === 0) continue;
      await trx.updateTable('industry_chains').set({ active: 0, updated_at: now }).where('id', '=', chain.id).execute();
      await bumpDataVersion(trx, 'monitoring');
      await deps.audit.append(trx, actor, { action: 'chain.deactivate', entityType: 'industry_chain', entityId: chain.id, before: { active: 1 }, after: { active: 0 } });
      updated++;
    }
    return { created, updated };
  });
}
