import fs from 'node:fs';
import { z } from 'zod';
import type { Db, Dialect } from '#server/db/client.ts';
import type { AuditLog, Actor } from '#server/platform/audit.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { UNIT_KINDS } from '#common/contracts/org.ts';

/**
 * The district is configuration: a JSON file names the bureau, its sections and centres, and
 * every street, town and zone with its statistical code and former names. Another district is
 * set up by pointing DISTRICT_FILE at its own file.
 */
const districtSchema = z.object({
  district: z.object({ name: z.string(), code: z.string(), city: z.string().optional(), province: z.string().optional() }),
  bureau: z.object({
    code: z.string(),
    name: z.string(),
    shortName: z.string().optional(),
    sections: z.array(z.object({ code: z.string(), name: z.string() })),
    centers: z.array(z.object({ code: z.string(), name: z.string() })).default([]),
  }),
  /** The district's industry chains (产业链), pillar or emerging; synced by the enterprises module. */
  chains: z
    .array(z.object({ code: z.string(), name: z.string(), kind: z.enum(['pillar', 'emerging']), aliases: z.array(z.string()).default([]) }))
    .default([]),
  /**
   * Enterprise groups (企业集团) the plan sets targets for (支持程力集团产值突破 100 亿元): each gets
   * a metric source of its total; `name` is the group's name in the enterprise registry.
   */
  groups: z.array(z.object({ code: z.string().regex(/^[A-Za-z0-9_]+$/), name: z.string() })).default([]),
  towns: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(UNIT_KINDS),
      aliases: z.array(z.string()).default([]),
      optional: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
});
export type DistrictConfig = z.infer<typeof districtSchema>;

export function loadDistrictConfig(file: string): DistrictConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`无法读取辖区配置文件 ${file}：${(error as Error).message}`);
  }
  const parsed = districtSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`辖区配置文件 ${file} 格式有误：${parsed.error.message}`);
  return parsed.data;
}

type UnitSpec = { code: string; name: string; shortName: string | null; kind: string; parentCode: string | null; aliases: string[]; active: boolean; order: number };

function unitSpecs(config: DistrictConfig, includeCityDevZone: boolean): UnitSpec[] {
  const b = config.bureau;
  const specs: UnitSpec[] = [
    { code: b.code, name: b.name, shortName: b.shortName ?? null, kind: 'bureau', parentCode: null, aliases: [], active: true, order: 0 },
  ];
  b.sections.forEach((s, i) => specs.push({ code: s.code, name: s.name, shortName: null, kind: 'section', parentCode: b.code, aliases: [], active: true, order: 10 + i }));
  b.centers.forEach((c, i) => specs.push({ code: c.code, name: c.name, shortName: null, kind: 'center', parentCode: b.code, aliases: [], active: true, order: 50 + i }));
  config.towns.forEach((t, i) =>
    specs.push({
      code: t.code,
      name: t.name,
      shortName: null,
      kind: t.kind,
      parentCode: null,
      aliases: t.aliases,
      // 随州市经济开发区 belongs to the district only when the flag says so (criteria.md §7).
      active: t.optional === 'INCLUDE_CITY_DEV_ZONE' ? includeCityDevZone : true,
      order: 100 + i,
    }),
  );
  return specs;
}

/**
 * Creates or updates the configured district's units (matched by code) in one audited
 * transaction. Units are never deleted: records may point at them; a unit that leaves the
 * configuration is marked inactive.
 */
export async function syncDistrictUnits(
  deps: { db: Db; dialect: Dialect; audit: AuditLog },
  actor: Actor,
  config: DistrictConfig,
  includeCityDevZone: boolean,
): Promise<{ created: number; updated: number }> {
  const specs = unitSpecs(config, includeCityDevZone);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('units').selectAll().execute();
    const byCode = new Map(existing.map((u) => [u.code, u]));
    const idOf = (code: string) => byCode.get(code)?.id;
    let created = 0;
    let updated = 0;
    const now = nowIso();
    for (const spec of specs) {
      const current = byCode.get(spec.code);
      const parentId = spec.parentCode ? (idOf(spec.parentCode) ?? null) : null;
      const values = {
        name: spec.name,
        short_name: spec.shortName,
        kind: spec.kind,
        parent_id: parentId,
        aliases: JSON.stringify(spec.aliases),
        sort_order: spec.order,
        active: spec.active ? 1 : 0,
      };
      if (!current) {
        const row = { id: newId(), code: spec.code, ...values, created_at: now, updated_at: now };
        await trx.insertInto('units').values(row).execute();
        // Towns are the summary's rows (ADR 0008).
        await bumpDataVersion(trx, 'monitoring');
        byCode.set(spec.code, row);
        await deps.audit.append(trx, actor, { action: 'unit.create', entityType: 'unit', entityId: row.id, after: values });
        created++;
        continue;
      }
      const before = {
        name: current.name,
        short_name: current.short_name,
        kind: current.kind,
        parent_id: current.parent_id,
        aliases: current.aliases,
        sort_order: current.sort_order,
        active: current.active,
      };
      if (JSON.stringify(before) === JSON.stringify(values)) continue;
      await trx.updateTable('units').set({ ...values, updated_at: now }).where('id', '=', current.id).execute();
      await bumpDataVersion(trx, 'monitoring');
      await deps.audit.append(trx, actor, { action: 'unit.update', entityType: 'unit', entityId: current.id, before, after: values });
      updated++;
    }
    const configured = new Set(specs.map((s) => s.code));
    for (const unit of existing) {
      if (configured.has(unit.code) || unit.active === 0) continue;
      await trx.updateTable('units').set({ active: 0, updated_at: now }).where('id', '=', unit.id).execute();
      await bumpDataVersion(trx, 'monitoring');
      await deps.audit.append(trx, actor, { action: 'unit.deactivate', entityType: 'unit', entityId: unit.id, before: { active: 1 }, after: { active: 0 } });
      updated++;
    }
    return { created, updated };
  });
}
