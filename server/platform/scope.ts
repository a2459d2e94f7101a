import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';
import type { Permission, Role } from '#common/permissions.ts';
import { notFound } from '#server/platform/errors.ts';

/**
 * Which records a principal reaches. `town` lists the active unit and every unit below it;
 * `enterprise` the one enterprise the account speaks for (null: an enterprise account not yet
 * attached reaches nothing).
 */
export type Scope =
  | { kind: 'all' }
  | { kind: 'town'; unitIds: readonly string[] }
  | { kind: 'enterprise'; enterpriseId: string | null };

/** The signed-in user as every service sees it. */
export type Principal = {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  activeUnitId: string;
  unitIds: string[];
  scope: Scope;
  enterpriseId: string | null;
  mustChangePassword: boolean;
  via: { kind: 'session'; sessionId: string; csrfToken: string } | { kind: 'token'; tokenId: string };
};

/** Columns a scoped table exposes: the unit (town) that owns a record, and/or its enterprise. */
export type ScopeColumns = { town?: string; enterprise?: string };

/**
 * The one helper every service read and write goes through: a SQL condition that keeps only
 * the rows inside the scope. A table with no column for a scope kind yields no rows for it.
 */
export function inScope(scope: Scope, columns: ScopeColumns): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`1 = 1`;
  if (scope.kind === 'town') {
    if (!columns.town || scope.unitIds.length === 0) return sql<SqlBool>`1 = 0`;
    return sql<SqlBool>`${sql.ref(columns.town)} in (${sql.join(scope.unitIds)})`;
  }
  if (!columns.enterprise || !scope.enterpriseId) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(columns.enterprise)} = ${scope.enterpriseId}`;
}

/** A record outside the scope answers 404: its existence is not revealed. */
export function assertInScope(scope: Scope, record: { townId?: string | null; enterpriseId?: string | null }, what = '记录'): void {
  if (!isInScope(scope, record)) throw notFound(what);
}

export function isInScope(scope: Scope, record: { townId?: string | null; enterpriseId?: string | null }): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'town') return !!record.townId && scope.unitIds.includes(record.townId);
  return !!scope.enterpriseId && record.enterpriseId === scope.enterpriseId;
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}
