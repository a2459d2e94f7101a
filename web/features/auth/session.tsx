import { createContext, use, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Me } from '#common/contracts/auth.ts';
import type { Permission, ScopeKind } from '#common/permissions.ts';
import { fetchMe, ME_KEY } from '#web/features/auth/api.ts';

/** What each data scope is called in the header and on the home page. */
export const SCOPE_LABELS: Record<ScopeKind, string> = { all: '全区', town: '本镇街', enterprise: '本企业' };

/** The signed-in user, fetched once and refetched after a unit switch. */
export function useMeQuery() {
  return useQuery({ queryKey: ME_KEY, queryFn: ({ signal }) => fetchMe(signal), staleTime: 60_000 });
}

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext value={me}>{children}</MeContext>;
}

/** The signed-in user inside the authenticated shell (the layout provides it). */
export function useMe(): Me {
  const me = use(MeContext);
  if (!me) throw new Error('useMe 只能在登录后的页面中使用');
  return me;
}

export function hasPermission(me: Me, permission: Permission | undefined): boolean {
  return permission === undefined || me.permissions.includes(permission);
}

/** `can('users.manage')`: the web hides what a user may not do (the server refuses it anyway). */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => hasPermission(me, permission);
}
