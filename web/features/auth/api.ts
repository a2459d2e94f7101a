import type { z } from 'zod';
import type {
  apiTokenListSchema,
  changePasswordBodySchema,
  createApiTokenBodySchema,
  createdApiTokenSchema,
  Me,
  loginBodySchema,
  okSchema,
  platformInfoSchema,
  sessionListSchema,
} from '#common/contracts/auth.ts';
import { http, setCsrfToken } from '#web/lib/http.ts';

/** Server calls of the auth feature: sign-in, the signed-in user, sessions and API tokens. */

export type LoginBody = z.infer<typeof loginBodySchema>;
export type PlatformInfo = z.infer<typeof platformInfoSchema>;
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;
export type Ok = z.infer<typeof okSchema>;
export type SessionList = z.infer<typeof sessionListSchema>;
export type Session = SessionList['items'][number];
export type ApiTokenList = z.infer<typeof apiTokenListSchema>;
export type ApiToken = ApiTokenList['items'][number];
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type CreateApiTokenBody = z.infer<typeof createApiTokenBodySchema>;

/** Query key of the signed-in user; other features' keys live under their own names. */
export const ME_KEY = ['me'] as const;

function remember(me: Me): Me {
  setCsrfToken(me.csrfToken);
  return me;
}

/** Public facts the login page shows before sign-in (district, demo mode). */
export function fetchPlatformInfo(signal?: AbortSignal): Promise<PlatformInfo> {
  return http.get<PlatformInfo>('/api/platform/info', undefined, signal);
}

export async function login(body: LoginBody): Promise<Me> {
  // A wrong password is a 401 the form shows, not a redirect to the page we are on.
  return remember(await http.post<Me>('/api/auth/login', body, { redirectOnAuthError: false }));
}

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  return remember(await http.get<Me>('/api/auth/me', undefined, signal));
}

export async function logout(): Promise<Ok> {
  try {
    return await http.post<Ok>('/api/auth/logout', {}, { redirectOnAuthError: false });
  } finally {
    setCsrfToken(null);
  }
}

export function changePassword(body: ChangePasswordBody): Promise<Ok> {
  return http.post<Ok>('/api/auth/password', body);
}

export async function switchActiveUnit(unitId: string): Promise<Me> {
  return remember(await http.post<Me>('/api/auth/active-unit', { unitId }));
}

export function listSessions(): Promise<SessionList> {
  return http.get<SessionList>('/api/sessions');
}

export function endSession(id: string): Promise<Ok> {
  return http.delete<Ok>(`/api/sessions/${encodeURIComponent(id)}`);
}

export function listApiTokens(): Promise<ApiTokenList> {
  return http.get<ApiTokenList>('/api/auth/tokens');
}

export function createApiToken(body: CreateApiTokenBody): Promise<CreatedApiToken> {
  return http.post<CreatedApiToken>('/api/auth/tokens', body);
}

export function revokeApiToken(id: string): Promise<Ok> {
  return http.delete<Ok>(`/api/auth/tokens/${encodeURIComponent(id)}`);
}
