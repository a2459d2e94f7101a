import { z } from 'zod';
import { ROLES } from '#common/permissions.ts';
import { pagingQuerySchema } from '#common/contracts/paging.ts';

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  units: z.array(z.object({ id: z.string(), name: z.string(), primary: z.boolean() })),
  enterpriseId: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userListQuerySchema = pagingQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  unitId: z.string().max(64).optional(),
  role: z.enum(ROLES).optional(),
});

const usernameSchema = z
  .string()
  .trim()
  .min(2, '用户名至少 2 个字符')
  .max(32, '用户名最多 32 个字符')
  .regex(/^[A-Za-z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和短横线');

export const createUserBodySchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1, '请填写姓名').max(50),
  phone: z.string().trim().max(30).nullable().optional(),
  roles: z.array(z.enum(ROLES)).min(1, '请至少选择一个角色'),
  /** The first unit is the primary one; further units are secondments. */
  unitIds: z.array(z.string()).min(1, '请选择所属单位'),
  enterpriseId: z.string().nullable().optional(),
  /** Omitted: the server generates one and returns it once. */
  password: z.string().max(256).optional(),
});

export const updateUserBodySchema = z.object({
  displayName: z.string().trim().min(1, '请填写姓名').max(50).optional(),
  phone: z.string().trim().max(30).nullable().optional(),
  roles: z.array(z.enum(ROLES)).min(1, '请至少选择一个角色').optional(),
  unitIds: z.array(z.string()).min(1, '请选择所属单位').optional(),
  enterpriseId: z.string().nullable().optional(),
  disabled: z.boolean().optional(),
});

export const resetPasswordBodySchema = z.object({ password: z.string().max(256).optional() });
/** A generated initial or reset password is returned once so the admin can hand it over. */
export const userWithPasswordSchema = z.object({ user: userSchema, initialPassword: z.string().nullable() });

export const rolePermissionsSchema = z.object({
  roles: z.array(z.object({ role: z.enum(ROLES), label: z.string(), permissions: z.array(z.string()) })),
  permissions: z.array(z.object({ id: z.string(), label: z.string() })),
});
export const updateRolePermissionsBodySchema = z.object({ permissions: z.array(z.string()) });
