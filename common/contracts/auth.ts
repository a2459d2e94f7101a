import { z } from 'zod';
import { ROLES } from '#common/permissions.ts';
import { UNIT_KINDS } from '#common/contracts/org.ts';

export const loginBodySchema = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});

export const meUnitSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(UNIT_KINDS) });

export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('town'), unitIds: z.array(z.string()) }),
  z.object({ kind: z.literal('enterprise'), enterpriseId: z.string().nullable() }),
]);

/** The signed-in user as the web app sees it; `csrfToken` goes in X-CSRF-Token on every change. */
export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  permissions: z.array(z.string()),
  activeUnit: meUnitSchema,
  units: z.array(meUnitSchema),
  scope: scopeSchema,
  enterpriseId: z.string().nullable(),
  mustChangePassword: z.boolean(),
  demoMode: z.boolean(),
  passwordPolicy: z.object({ minLength: z.number().int(), minClasses: z.number().int() }),
  csrfToken: z.string().nullable(),
});

/** What the login page may know before anyone signs in. */
export const platformInfoSchema = z.object({
  name: z.string(),
  district: z.string(),
  demoMode: z.boolean(),
  passwordPolicy: z.object({ minLength: z.number().int(), minClasses: z.number().int() }),
});
export type Me = z.infer<typeof meSchema>;

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(256),
  newPassword: z.string().min(1, '请输入新密码').max(256),
});

export const switchUnitBodySchema = z.object({ unitId: z.string().min(1) });

export const okSchema = z.object({ ok: z.literal(true) });

export const sessionSchema = z.object({
  id: z.string(),
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  activeUnit: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const sessionListSchema = z.object({ items: z.array(sessionSchema) });

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
export const createApiTokenBodySchema = z.object({ name: z.string().trim().min(1, '请填写令牌用途').max(100) });
/** The secret is shown once, at creation; only its hash is stored. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });
