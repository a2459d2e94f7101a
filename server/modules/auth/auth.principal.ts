import type { Me } from '#common/contracts/auth.ts';
import type { UnitKind } from '#common/contracts/org.ts';
import { ROLES, scopeOfRoles } from '#common/permissions.ts';
import type { Role } from '#common/permissions.ts';
import type { Db } from '#server/db/client.ts';
import { isTownUnit, listUnits, unitAndDescendants } from '#server/modules/org/org.service.ts';
import { permissionsOfRoles } from '#server/modules/roles/roles.service.ts';
import type { Principal, Scope } from '#server/platform/scope.ts';
import { readDataVersion } from '#server/platform/data-version.ts';

export type UserUnit = { id: string; name: string; kind: UnitKind; primary: boolean };

/**
 * Builds the principal of a user working in one active unit. The scope follows the unit the
 * user works in: an official seconded from a town to the bureau sees all towns while working
 * in the bureau, and only the town while working there. Leaders and administrators always see
 * all; enterprise accounts see their own enterprise.
 */
export async function loadPrincipal(
  db: Db,
  userId: string,
  requestedUnitId: string | null,
  via: Principal['via'],
  demoMode: boolean,
): Promise<Principal | null> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user || user.disabled === 1) return null;
  const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute())
    .map((r) => r.role)
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const memberships = await db.selectFrom('user_units').select(['unit_id', 'is_primary']).where('user_id', '=', userId).execute();
  const units = await listUnits(db);
  const mine = memberships.map((m) => units.find((u) => u.id === m.unit_id && u.active)).filter((u) => u !== undefined);
  if (mine.length === 0) return null;
  const primaryId = memberships.find((m) => m.is_primary === 1)?.unit_id;
  const active = mine.find((u) => u.id === requestedUnitId) ?? mine.find((u) => u.id === primaryId) ?? mine[0]!;

  let scope: Scope;
  if (roles.includes('admin') || roles.includes('leader')) scope = { kind: 'all' };
  else if (isTownUnit(active) && (roles.includes('town') || scopeOfRoles(roles) !== 'enterprise')) scope = { kind: 'town', unitIds: unitAndDescendants(units, active.id) };
  else if (scopeOfRoles(roles) === 'enterprise') scope = { kind: 'enterprise', enterpriseId: user.enterprise_id };
  else if (scopeOfRoles(roles) === 'town') scope = { kind: 'town', unitIds: unitAndDescendants(units, active.id) };
  else scope = { kind: 'all' };

  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roles,
    permissions: await permissionsOfRoles(db, roles),
    activeUnitId: active.id,
    unitIds: mine.map((u) => u.id),
    scope,
    enterpriseId: user.enterprise_id,
    mustChangePassword: user.must_change_password === 1 && !demoMode,
    via,
  };
}

type CachedPrincipals = { version: string; byKey: Map<string, Promise<Principal | null>> };
const principalCaches = new WeakMap<Db, CachedPrincipals>();
// Accounts active at once in a district are a few hundred; the bound only stops a flood of
// distinct users from growing memory without end.
const MAX_CACHED_PRINCIPALS = 5_000;

/**
 * loadPrincipal for a request: principals are kept per user and unit against the database's
 * `access` version, which triggers bump on every change to accounts, roles, units and grants
 * (migration 0010, ADR 0011), so a request costs one counter read instead of five queries, and
 * a change made by any process applies to the next request. The session or token row itself is
 * still read on every request by the caller: sign-out, revocation and expiry are never cached.
 */
export async function requestPrincipal(
  db: Db,
  userId: string,
  requestedUnitId: string | null,
  via: Principal['via'],
  demoMode: boolean,
  // The caller may have read the version with the session or token row (one statement less per
  // request); either way it is read before the principal is built, so a principal built after
  // it is at least as new.
  accessVersion?: string,
): Promise<Principal | null> {
  const version = accessVersion ?? (await readDataVersion(db, 'access'));
  let cache = principalCaches.get(db);
  if (!cache || cache.version !== version || cache.byKey.size >= MAX_CACHED_PRINCIPALS) {
    principalCaches.set(db, (cache = { version, byKey: new Map() }));
  }
  const key = `${userId}|${requestedUnitId ?? ''}|${demoMode ? 1 : 0}`;
  let built = cache.byKey.get(key);
  if (!built) {
    built = loadPrincipal(db, userId, requestedUnitId, via, demoMode);
    cache.byKey.set(key, built);
    const filed = cache;
    built.catch(() => filed.byKey.delete(key));
  }
  const principal = await built;
  return principal && { ...principal, via };
}

export async function presentMe(db: Db, principal: Principal, demoMode: boolean, passwordPolicy: Me['passwordPolicy']): Promise<Me> {
  const units = await listUnits(db);
  const ref = (id: string) => {
    const u = units.find((x) => x.id === id)!;
    return { id: u.id, name: u.name, kind: u.kind };
  };
  return {
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    roles: principal.roles,
    permissions: [...principal.permissions].sort(),
    activeUnit: ref(principal.activeUnitId),
    units: principal.unitIds.map(ref),
    scope: principal.scope.kind === 'town' ? { kind: 'town', unitIds: [...principal.scope.unitIds] } : principal.scope,
    enterpriseId: principal.enterpriseId,
    mustChangePassword: principal.mustChangePassword,
    demoMode,
    passwordPolicy,
    csrfToken: principal.via.kind === 'session' ? principal.via.csrfToken : null,
  };
}
