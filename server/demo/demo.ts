import type { Deps } from '#server/platform/deps.ts';
import type { Actor } from '#server/platform/audit.ts';
import { systemActor } from '#server/platform/audit.ts';
import { listUnits, resolveUnit } from '#server/modules/org/org.service.ts';
import { createUser, updateUser } from '#server/modules/users/users.service.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';
import { loadDemoEnterprises } from '#server/demo/demo.enterprises.ts';
import { loadDemoMonitoring } from '#server/demo/demo.monitoring.ts';
import { loadDemoCultivation } from '#server/demo/demo.cultivation.ts';
import { loadDemoPlan } from '#server/demo/demo.plans.ts';

/** The demo goes only into a database without accounts. */
export async function demoLoadable(deps: Deps): Promise<boolean> {
  return !(await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

/**
 * Loads the demo district's accounts (and, as modules land, their data) into a database that
 * has no users yet. Deterministic: the same accounts every time.
 */
export async function loadDemoDistrict(deps: Deps, actor: Actor = systemActor('demo')): Promise<{ loaded: boolean }> {
  if (!(await demoLoadable(deps))) return { loaded: false };
  const units = await listUnits(deps.db);
  for (const account of DEMO_ACCOUNTS) {
    const unitIds = account.units.map((name) => {
      const unit = resolveUnit(units, name);
      if (!unit) throw new Error(`演示账号 ${account.username} 的单位 ${name} 不在辖区配置中`);
      return unit.id;
    });
    await createUser(deps, actor, { username: account.username, displayName: account.displayName, roles: account.roles, unitIds, password: DEMO_PASSWORD, mustChangePassword: false, skipPasswordPolicy: true });
  }
  const { accountEnterpriseId } = await loadDemoEnterprises(deps, actor);
  await loadDemoMonitoring(deps, actor);
  await loadDemoCultivation(deps, actor);
  await loadDemoPlan(deps, actor);
  // The demo enterprise account (qiye, 何店镇) speaks for one 何店镇 enterprise.
  const qiye = await deps.db.selectFrom('users').select('id').where('username', '=', 'qiye').executeTakeFirst();
  if (qiye) await updateUser(deps, actor, qiye.id, { enterpriseId: accountEnterpriseId });
  return { loaded: true };
}
