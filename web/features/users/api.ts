import type { z } from 'zod';
import type {
  createUserBodySchema,
  rolePermissionsSchema,
  updateUserBodySchema,
  User,
  userListQuerySchema,
  userWithPasswordSchema,
} from '#common/contracts/users.ts';
import type { Role } from '#common/permissions.ts';
import { http } from '#web/lib/http.ts';

/** Server calls of user administration and the role-permission table. */

export type { User };
export type UserListQuery = Partial<z.infer<typeof userListQuerySchema>>;
export type UserPage = { items: User[]; total: number };
export type CreateUserBody = z.input<typeof createUserBodySchema>;
export type UpdateUserBody = z.input<typeof updateUserBodySchema>;
export type UserWithPassword = z.infer<typeof userWithPasswordSchema>;
export type RolePermissions = z.infer<typeof rolePermissionsSchema>;

export const USERS_KEY = ['users'] as const;
export const ROLES_KEY = ['roles'] as const;

export function listUsers(query: UserListQuery, signal?: AbortSignal): Promise<UserPage> {
  return http.get<UserPage>('/api/users', query, signal);
}

export function createUser(body: CreateUserBody): Promise<UserWithPassword> {
  return http.post<UserWithPassword>('/api/users', body);
}

export function updateUser(id: string, body: UpdateUserBody): Promise<User> {
  return http.patch<User>(`/api/users/${encodeURIComponent(id)}`, body);
}

export function resetPassword(id: string): Promise<UserWithPassword> {
  return http.post<UserWithPassword>(`/api/users/${encodeURIComponent(id)}/reset-password`, {});
}

export function fetchRolePermissions(): Promise<RolePermissions> {
  return http.get<RolePermissions>('/api/roles');
}

export function saveRolePermissions(role: Role, permissions: string[]): Promise<RolePermissions> {
  return http.put<RolePermissions>(`/api/roles/${encodeURIComponent(role)}`, { permissions });
}
