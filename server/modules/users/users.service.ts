import type { User } from '#common/contracts/users.ts';
import type { Role } from '#common/permissions.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { Actor } from '#server/platform/audit.ts';
import { AppError, conflict, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { generatePassword, hashPassword } from '#server/modules/auth/auth.password.ts';
import { checkPasswordPolicy } from '#common/password-policy.ts';
import { loadUserRecords, replaceUserRoles, replaceUserUnits } from '#server/modules/users/users.repo.ts';
import type { UserRecord } from '#server/modules/users/users.repo.ts';
import { listUnits } from '#server/modules/org/org.service.ts';
import { textContains } from '#server/db/text-match.ts';
import { isUniqueViolation } from '#server/db/client.ts';

export function presentUser(u: UserRecord, now: Date): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    phone: u.phone,
    roles: u.roles as Role[],
    units: u.units,
    enterpriseId: u.enterprise_id,
    disabled: u.disabled === 1,
    locked: !!u.locked_until && u.locked_until > nowIso(now),
    mustChangePassword: u.must_change_password === 1,
    createdAt: u.created_at,
  };
}

export type UserListQuery = { search?: string | undefined; unitId?: string | undefined; role?: Role | undefined; page: number; pageSize: number };

/** Accounts, searchable by username or name, filtered by unit and role. Administrators only. */
export async function listUsers(deps: Deps, query: UserListQuery): Promise<{ items: User[]; total: number }> {
  let base = deps.db.selectFrom('users');
  if (query.search) {
    const search = query.search;
    base = base.where((eb) => eb.or([textContains('username', search), textContains('display_name', search)]));
  }
  if (query.unitId) base = base.where('id', 'in', deps.db.selectFrom('user_units').select('user_id').where('unit_id', '=', query.unitId));
  if (query.role) base = base.where('id', 'in', deps.db.selectFrom('user_roles').select('user_id').where('role', '=', query.role));
  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute();
  const now = deps.now();
  return { items: (await loadUserRecords(deps.db, rows)).map((u) => presentUser(u, now)), total };
}

export async function getUser(deps: Deps, id: string): Promise<User> {
  const row = await deps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('用户');
  const [record] = await loadUserRecords(deps.db, [row]);
  return presentUser(record!, deps.now());
}

export type CreateUserInput = {
  username: string;
  displayName: string;
  phone?: string | null | undefined;
  roles: Role[];
  unitIds: string[];
  enterpriseId?: string | null | undefined;
  password?: string | undefined;
  /** Only demo accounts skip the forced change; every other initial password, the CLI's included, must be changed at first sign-in. */
  mustChangePassword?: boolean;
  /** Only the demo loader sets this: the documented demo password predates the policy. */
  skipPasswordPolicy?: boolean;
};

async function checkUnits(deps: Deps, unitIds: string[]): Promise<void> {
  const units = await listUnits(deps.db);
  const unknown = unitIds.filter((id) => !units.some((u) => u.id === id && u.active));
  if (unknown.length) throw new AppError('VALIDATION', '所选单位不存在或已停用', [{ field: 'unitIds', message: '所选单位不存在或已停用' }]);
  if (new Set(unitIds).size !== unitIds.length) throw new AppError('VALIDATION', '所属单位有重复', [{ field: 'unitIds', message: '所属单位有重复' }]);
}

function checkRoleFit(roles: Role[], enterpriseId: string | null | undefined): void {
  if (roles.includes('enterprise') && new Set(roles).size > 1) {
    throw new AppError('VALIDATION', '企业账号不能兼任其他角色', [{ field: 'roles', message: '企业账号不能兼任其他角色' }]);
  }
  if (!roles.includes('enterprise') && enterpriseId) {
    throw new AppError('VALIDATION', '只有企业账号可以关联企业', [{ field: 'enterpriseId', message: '只有企业账号可以关联企业' }]);
  }
}

/**
 * Creates an account. Without a password one is generated and returned once; an initial
 * password must be changed at first sign-in (outside demo mode).
 */
export async function createUser(deps: Deps, actor: Actor, input: CreateUserInput): Promise<{ user: User; initialPassword: string | null }> {
  await checkUnits(deps, input.unitIds);
  checkRoleFit(input.roles, input.enterpriseId);
  const generated = input.password ? null : generatePassword();
  const password = input.password ?? generated!;
  const problems = input.skipPasswordPolicy ? [] : checkPasswordPolicy(password, input.username, deps.config.passwordPolicy);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), problems.map((message) => ({ field: 'password', message })));
  const passwordHash = await hashPassword(password);
  const id = newId();
  const now = nowIso(deps.now());
  const usernameTaken = () => conflict(`用户名 ${input.username} 已被使用`, [{ field: 'username', message: '用户名已被使用' }]);
  await deps.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken) throw usernameTaken();
    await trx
      .insertInto('users')
      .values({
        id,
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        must_change_password: input.mustChangePassword === false ? 0 : 1,
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        password_changed_at: null,
        enterprise_id: input.enterpriseId ?? null,
        phone: input.phone ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await replaceUserRoles(trx, id, input.roles);
    await replaceUserUnits(trx, id, input.unitIds);
    await deps.audit.append(trx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: { username: input.username, displayName: input.displayName, roles: input.roles, unitIds: input.unitIds, enterpriseId: input.enterpriseId ?? null },
    });
  }).catch((error: unknown) => {
    // Two administrators creating the same username at once: the loser meets the unique index.
    throw isUniqueViolation(error) ? usernameTaken() : error;
  });
  return { user: await getUser(deps, id), initialPassword: generated };
}

export type UpdateUserInput = {
  displayName?: string | undefined;
  phone?: string | null | undefined;
  roles?: Role[] | undefined;
  unitIds?: string[] | undefined;
  enterpriseId?: string | null | undefined;
  disabled?: boolean | undefined;
};

/** Edits an account; disabling it also ends its sessions. An admin cannot disable themself. */
export async function updateUser(deps: Deps, actor: Actor, id: string, input: UpdateUserInput): Promise<User> {
  const before = await getUser(deps, id);
  if (input.unitIds) await checkUnits(deps, input.unitIds);
  const roles = input.roles ?? before.roles;
  checkRoleFit(roles, input.enterpriseId === undefined ? before.enterpriseId : input.enterpriseId);
  if (actor.userId === id && input.disabled === true) throw new AppError('VALIDATION', '不能停用自己的账号');
  if (actor.userId === id && input.roles && before.roles.includes('admin') && !input.roles.includes('admin')) {
    throw new AppError('VALIDATION', '不能取消自己的管理员角色');
  }
  const now = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    const set: Record<string, unknown> = { updated_at: now };
    if (input.displayName !== undefined) set.display_name = input.displayName;
    if (input.phone !== undefined) set.phone = input.phone;
    if (input.enterpriseId !== undefined) set.enterprise_id = input.enterpriseId;
    if (input.disabled !== undefined) set.disabled = input.disabled ? 1 : 0;
    await trx.updateTable('users').set(set).where('id', '=', id).execute();
    if (input.roles) await replaceUserRoles(trx, id, input.roles);
    if (input.unitIds) await replaceUserUnits(trx, id, input.unitIds);
    if (input.disabled === true || input.roles || input.unitIds) {
      await trx.updateTable('sessions').set({ ended_at: now, end_reason: 'account_changed' }).where('user_id', '=', id).where('ended_at', 'is', null).execute();
    }
    await deps.audit.append(trx, actor, { action: 'user.update', entityType: 'user', entityId: id, before, after: input });
  });
  return getUser(deps, id);
}

/**
 * Resets a password (generated unless given) and unlocks the account; it must be changed at next
 * sign-in. The account's sessions end and its API tokens are revoked.
 */
export async function resetUserPassword(deps: Deps, actor: Actor, id: string, password?: string): Promise<{ user: User; initialPassword: string | null }> {
  const user = await getUser(deps, id);
  const generated = password ? null : generatePassword();
  const next = password ?? generated!;
  const problems = checkPasswordPolicy(next, user.username, deps.config.passwordPolicy);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), problems.map((message) => ({ field: 'password', message })));
  const passwordHash = await hashPassword(next);
  const now = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', id).execute();
    await trx.updateTable('sessions').set({ ended_at: now, end_reason: 'password_reset' }).where('user_id', '=', id).where('ended_at', 'is', null).execute();
    // An admin resets a password when the account may be compromised, so the personal API
    // tokens made under the old password stop too; the owner makes new ones after signing in.
    const tokens = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    await deps.audit.append(trx, actor, { action: 'user.reset_password', entityType: 'user', entityId: id, after: { revokedApiTokens: Number(tokens.numUpdatedRows) } });
  });
  return { user: await getUser(deps, id), initialPassword: generated };
}
