import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { migrateToLatest } from '#server/db/migrate.ts';
import { createAuditLog, systemActor } from '#server/platform/audit.ts';
import type { Actor } from '#server/platform/audit.ts';
import { loadOrCreateAuditKey } from '#server/platform/audit-key.ts';
import type { Deps } from '#server/platform/deps.ts';
import { createMetricRegistry } from '#server/platform/metrics.ts';
import { createRegistryChanges } from '#server/platform/registry-changes.ts';
import { PROJECT_ROOT } from '#server/platform/paths.ts';
import { loadDistrictConfig, syncDistrictUnits } from '#server/modules/org/org.district.ts';
import { ensureDefaultRolePermissions } from '#server/modules/roles/roles.service.ts';
import { syncIndustryChains } from '#server/modules/enterprises/enterprises.chains.ts';

const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
export const VERSION = packageJson.version;

/** Opens the configured database and assembles what services need. */
export function createDeps(config: Config, handle: DbHandle = openDatabase(config.database)): Deps & { close: () => Promise<void> } {
  const key = loadOrCreateAuditKey(config.auditKeyFile);
  return {
    config,
    db: handle.db,
    dialect: handle.dialect,
    audit: createAuditLog(handle.dialect, key),
    now: () => new Date(),
    version: VERSION,
    metrics: createMetricRegistry(),
    registryChanges: createRegistryChanges(),
    close: handle.close,
  };
}

/**
 * What `kejing migrate` does: the schema to the latest migration, the configured district's
 * units and industry chains, and default role grants. No accounts, no demo data.
 */
export async function prepareDatabase(deps: Deps, actor: Actor = systemActor('migrate')): Promise<void> {
  await migrateToLatest(deps.db);
  const district = loadDistrictConfig(deps.config.districtFile);
  await syncDistrictUnits(deps, actor, district, deps.config.includeCityDevZone);
  await syncIndustryChains(deps, actor, district.chains);
  await ensureDefaultRolePermissions(deps, actor);
}
