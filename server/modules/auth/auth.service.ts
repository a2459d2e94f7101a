import type { Deps } from '#server/platform/deps.ts';
import type { Actor } from '#server/platform/audit.ts';
import { AppError, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { hotRead } from '#server/db/hot-read.ts';
import { DATA_VERSION_COLUMNS, dataVersionsOf } from '#server/platform/data-version.ts';
import type { DataVersions } from '#server/platform/data-version.ts';
import type { Principal } from '#server/platform/scope.ts';
import { loadPrincipal, requestPrincipal } from '#server/modules/auth/auth.principal.ts';
import { hashPassword, verifyDecoy, verifyPassword } from '#server/modules/auth/auth.password.ts';
import { checkPasswordPolicy } from '#common/password-policy.ts';
import { API_TOKEN_PREFIX, newSecret, sha256 } from '#server/modules/auth/auth.tokens.ts';

type Client = { ip: string | null; userAgent: string | null; requestId: string | null };

const minutes = (n: number) => n * 60_000;

async function recordLogin(deps: Deps, username: string, userId: string | null, success: boolean, reason: string, client: Client) {
  await deps.db
    .insertInto('login_log')
    .values({ id: newId(), at: nowIso(deps.now()), username: username.slice(0, 64), user_id: userId, success: success ? 1 : 0, reason, ip: client.ip, user_agent: client.userAgent?.slice(0, 300) ?? null })
    .execute();
}

const WRONG_CREDENTIALS = () => new AppError('UNAUTHENTICATED', '用户名或密码错误');

/**
 * Signs a user in: checks the password (argon2id), counts failures and locks the account after
 * too many, logs every attempt with its IP, and opens a server-side session. Returns the cookie
 * token (only its hash is stored) and the principal.
 */
export async function login(deps: Deps, username: string, password: string, client: Client): Promise<{ token: string; principal: Principal }> {
  const now = deps.now();
  const user = await deps.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!user) {
    await verifyDecoy(password);
    await recordLogin(deps, username, null, false, 'unknown_user', client);
    throw WRONG_CREDENTIALS();
  }
  if (user.locked_until && user.locked_until > nowIso(now)) {
    await recordLogin(deps, username, user.id, false, 'locked', client);
    const left = Math.max(1, Math.ceil((Date.parse(user.locked_until) - now.getTime()) / 60_000));
    throw new AppError('LOCKED', `密码错误次数过多，账号已锁定，请 ${left} 分钟后再试或联系管理员解锁`);
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    const { maxFailures, lockMinutes } = deps.config.login;
    const locks = await deps.db.transaction().execute(async (trx) => {
      // Counted in SQL, not from the row read above: guesses sent in parallel must each count.
      const counted = await trx
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      const failures = Number(counted.failed_logins);
      if (failures < maxFailures) return false;
      await trx
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: nowIso(new Date(now.getTime() + minutes(lockMinutes))) })
        .where('id', '=', user.id)
        .execute();
      const actor: Actor = { kind: 'system', userId: null, name: 'login', activeUnitId: null, ip: client.ip, requestId: client.requestId };
      await deps.audit.append(trx, actor, { action: 'user.lock', entityType: 'user', entityId: user.id, after: { lockedMinutes: lockMinutes, failures } });
      return true;
    });
    await recordLogin(deps, username, user.id, false, locks ? 'bad_password_locked' : 'bad_password', client);
    if (locks) throw new AppError('LOCKED', `密码连续错误 ${maxFailures} 次，账号已锁定 ${lockMinutes} 分钟`);
    throw WRONG_CREDENTIALS();
  }
  if (user.disabled === 1) {
    await recordLogin(deps, username, user.id, false, 'disabled', client);
    throw new AppError('UNAUTHENTICATED', '账号已停用，请联系管理员');
  }

  const token = newSecret();
  const sessionId = sha256(token);
  const csrfToken = newSecret();
  const principal = await loadPrincipal(deps.db, user.id, null, { kind: 'session', sessionId, csrfToken }, deps.config.demoMode);
  if (!principal) {
    await recordLogin(deps, username, user.id, false, 'no_unit', client);
    throw new AppError('UNAUTHENTICATED', '账号未分配有效的所属单位，请联系管理员');
  }
  const at = nowIso(now);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await trx
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        active_unit_id: principal.activeUnitId,
        csrf_token: csrfToken,
        created_at: at,
        last_seen_at: at,
        absolute_expires_at: nowIso(new Date(now.getTime() + deps.config.session.absoluteHours * 3_600_000)),
        ip: client.ip,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
  });
  await recordLogin(deps, username, user.id, true, 'ok', client);
  return { token, principal };
}

// Touching last_seen_at on every request would make every read a write; a minute's
// granularity is plenty for a 30-minute idle timeout.
const TOUCH_AFTER_MS = 60_000;

/**
 * Who a request is, and the data versions at its start (read in the same statement as the
 * session or token row, so later reads of the request can skip their own version read).
 */
export type Authenticated = { principal: Principal; versions: DataVersions };

/** The principal behind a session cookie, or null when it is unknown, ended, idle or too old. */
export async function resolveSession(deps: Deps, token: string): Promise<Authenticated | null> {
  const id = sha256(token);
  const session = await hotRead(deps.db, 'sessions.by_id', (db) => db.selectFrom('sessions').selectAll().select(DATA_VERSION_COLUMNS).where('id', '=', ''), [id]);
  if (!session || session.ended_at) return null;
  const now = deps.now();
  const idleLimit = Date.parse(session.last_seen_at) + minutes(deps.config.session.idleMinutes);
  const expired = now.getTime() > idleLimit ? 'idle' : nowIso(now) > session.absolute_expires_at ? 'absolute' : null;
  if (expired) {
    await deps.db.updateTable('sessions').set({ ended_at: nowIso(now), end_reason: `expired_${expired}` }).where('id', '=', id).where('ended_at', 'is', null).execute();
    return null;
  }
  const principal = await requestPrincipal(deps.db, session.user_id, session.active_unit_id, { kind: 'session', sessionId: id, csrfToken: session.csrf_token }, deps.config.demoMode, String(session.access_version ?? 0));
  if (!principal) return null;
  if (now.getTime() - Date.parse(session.last_seen_at) > TOUCH_AFTER_MS) {
    await deps.db.updateTable('sessions').set({ last_seen_at: nowIso(now) }).where('id', '=', id).execute();
  }
  return { principal, versions: dataVersionsOf(session) };
}

/** The principal behind a personal API token (Bearer), scoped like its owner. */
export async function resolveApiToken(deps: Deps, token: string): Promise<Authenticated | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await hotRead(deps.db, 'api_tokens.by_hash', (db) => db.selectFrom('api_tokens').selectAll().select(DATA_VERSION_COLUMNS).where('token_hash', '=', ''), [sha256(token)]);
  if (!row || row.revoked_at) return null;
  const principal = await requestPrincipal(deps.db, row.user_id, null, { kind: 'token', tokenId: row.id }, deps.config.demoMode, String(row.access_version ?? 0));
  if (!principal) return null;
  const now = deps.now();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_AFTER_MS) {
    await deps.db.updateTable('api_tokens').set({ last_used_at: nowIso(now) }).where('id', '=', row.id).execute();
  }
  // A token is for machines: no pending password change blocks it.
  return { principal: { ...principal, mustChangePassword: false }, versions: dataVersionsOf(row) };
}

export async function endSession(deps: Deps, sessionId: string, reason: string): Promise<boolean> {
  const result = await deps.db
    .updateTable('sessions')
    .set({ ended_at: nowIso(deps.now()), end_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Changes one's own password; other sessions of the user are signed out. */
export async function changeOwnPassword(deps: Deps, principal: Principal, actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
  const user = await deps.db.selectFrom('users').selectAll().where('id', '=', principal.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, currentPassword))) {
    throw new AppError('VALIDATION', '当前密码不正确', [{ field: 'currentPassword', message: '当前密码不正确' }]);
  }
  const problems = checkPasswordPolicy(newPassword, user.username, deps.config.passwordPolicy);
  if (currentPassword === newPassword) problems.push('新密码不能与当前密码相同');
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), problems.map((message) => ({ field: 'newPassword', message })));
  const passwordHash = await hashPassword(newPassword);
  const now = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 0, password_changed_at: now, updated_at: now }).where('id', '=', user.id).execute();
    let others = trx.updateTable('sessions').set({ ended_at: now, end_reason: 'password_changed' }).where('user_id', '=', user.id).where('ended_at', 'is', null);
    if (principal.via.kind === 'session') others = others.where('id', '!=', principal.via.sessionId);
    await others.execute();
    await deps.audit.append(trx, actor, { action: 'user.change_password', entityType: 'user', entityId: user.id });
  });
}

/** Switches the unit a multi-unit user works in; the audit records the active unit from now on. */
export async function switchActiveUnit(deps: Deps, principal: Principal, actor: Actor, unitId: string): Promise<void> {
  if (principal.via.kind !== 'session') throw new AppError('BAD_REQUEST', 'API 令牌不能切换工作单位');
  if (!principal.unitIds.includes(unitId)) throw notFound('单位');
  const sessionId = principal.via.sessionId;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ active_unit_id: unitId }).where('id', '=', sessionId).execute();
    await deps.audit.append(trx, actor, { action: 'session.switch_unit', entityType: 'user', entityId: principal.userId, before: { unitId: principal.activeUnitId }, after: { unitId } });
  });
}

export async function listOwnApiTokens(deps: Deps, principal: Principal) {
  const rows = await deps.db.selectFrom('api_tokens').selectAll().where('user_id', '=', principal.userId).orderBy('created_at', 'desc').execute();
  return rows.map(presentToken);
}

function presentToken(row: { id: string; name: string; prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null }) {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

export async function createApiToken(deps: Deps, principal: Principal, actor: Actor, name: string) {
  // Tokens skip the pending-password-change check, so one must not be minted while it is pending.
  if (principal.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED', '首次登录或密码被重置，请先修改密码');
  const token = `${API_TOKEN_PREFIX}${newSecret()}`;
  const row = { id: newId(), user_id: principal.userId, name, token_hash: sha256(token), prefix: token.slice(0, 10), created_at: nowIso(deps.now()), last_used_at: null, revoked_at: null };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('api_tokens').values(row).execute();
    await deps.audit.append(trx, actor, { action: 'api_token.create', entityType: 'api_token', entityId: row.id, after: { name, prefix: row.prefix } });
  });
  return { ...presentToken(row), token };
}

export async function revokeApiToken(deps: Deps, principal: Principal, actor: Actor, tokenId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).where('user_id', '=', principal.userId).executeTakeFirst();
    if (!row) throw notFound('令牌');
    if (row.revoked_at) return;
    await trx.updateTable('api_tokens').set({ revoked_at: nowIso(deps.now()) }).where('id', '=', tokenId).execute();
    await deps.audit.append(trx, actor, { action: 'api_token.revoke', entityType: 'api_token', entityId: tokenId, before: { name: row.name } });
  });
}

/** Signed-in sessions (在线用户): not ended and not past either expiry. */
export async function listActiveSessions(deps: Deps, principal: Principal) {
  const now = deps.now();
  const idleCutoff = nowIso(new Date(now.getTime() - minutes(deps.config.session.idleMinutes)));
  const rows = await deps.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('units as un', 'un.id', 's.active_unit_id')
    .select(['s.id', 's.created_at', 's.last_seen_at', 's.ip', 's.user_agent', 'u.id as user_id', 'u.username', 'u.display_name', 'un.id as unit_id', 'un.name as unit_name'])
    .where('s.ended_at', 'is', null)
    .where('s.last_seen_at', '>', idleCutoff)
    .where('s.absolute_expires_at', '>', nowIso(now))
    .orderBy('s.last_seen_at', 'desc')
    .execute();
  const currentId = principal.via.kind === 'session' ? principal.via.sessionId : null;
  // The session id is the hash of the cookie; it is shown to admins only as an opaque handle.
  return rows.map((r) => ({
    id: r.id,
    user: { id: r.user_id, username: r.username, displayName: r.display_name },
    activeUnit: { id: r.unit_id, name: r.unit_name },
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === currentId,
  }));
}

/** Forced sign-out (强制下线) by an administrator, audited. */
export async function forceSignOut(deps: Deps, actor: Actor, sessionId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sessions').select(['id', 'user_id', 'ended_at']).where('id', '=', sessionId).executeTakeFirst();
    if (!row || row.ended_at) throw notFound('会话');
    await trx.updateTable('sessions').set({ ended_at: nowIso(deps.now()), end_reason: 'forced' }).where('id', '=', sessionId).execute();
    await deps.audit.append(trx, actor, { action: 'session.force_sign_out', entityType: 'user', entityId: row.user_id });
  });
}
