import { Suspense, useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, App as AntApp, Avatar, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Result, Select, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, Outlet, useLocation, useMatches, useNavigate } from 'react-router';
import type { Me } from '#common/contracts/auth.ts';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { logout, ME_KEY, switchActiveUnit } from '#web/features/auth/api.ts';
import { hasPermission, MeProvider, SCOPE_LABELS, useMe, useMeQuery } from '#web/features/auth/session.tsx';
import { ApiError } from '#web/lib/http.ts';
import { MENU_GROUPS, MODULE_PAGES, type MenuGroupKey, type RouteHandle } from '#web/app/modules.tsx';
import { ForbiddenPage } from '#web/app/StatusPages.tsx';

type MenuItem = Required<MenuProps>['items'][number];

const DEMO_NOTICE = '演示数据 — 本系统当前为演示辖区，所有企业与数据均为虚构';

/** The menu for this user: only the pages their permissions open; empty groups disappear. */
export function buildMenu(me: Me): MenuItem[] {
  const items: MenuItem[] = [];
  const groups = new Map<MenuGroupKey, MenuItem[]>();
  for (const module of MODULE_PAGES) {
    if (module.inMenu === false || !hasPermission(me, module.permission)) continue;
    const item: MenuItem = { key: module.path, icon: module.icon, label: module.label };
    if (!module.group) {
      items.push(item);
      continue;
    }
    let children = groups.get(module.group);
    if (!children) {
      children = [];
      groups.set(module.group, children);
      items.push({ key: `group:${module.group}`, icon: MENU_GROUPS[module.group].icon, label: MENU_GROUPS[module.group].label, children });
    }
    children.push(item);
  }
  return items;
}

/** The menu entry for a path: the longest page path it starts with. */
function selectedPath(pathname: string): string {
  let best = '/';
  for (const module of MODULE_PAGES) {
    if (module.path !== '/' && (pathname === module.path || pathname.startsWith(`${module.path}/`)) && module.path.length > best.length) {
      best = module.path;
    }
  }
  return best;
}

/** The authenticated shell: loads the signed-in user, then the menu, header and the page. */
export function AppLayout() {
  const me = useMeQuery();
  if (me.isPending) return <PageLoading fullScreen />;
  if (me.isError) {
    // A 401 has already sent the user to the login page; anything else is worth saying.
    if (me.error instanceof ApiError && me.error.status === 401) return <PageLoading fullScreen />;
    return (
      <Result
        status="error"
        title="无法加载用户信息"
        subTitle={me.error.message}
        extra={
          <Button type="primary" onClick={() => void me.refetch()}>
            重试
          </Button>
        }
      />
    );
  }
  if (me.data.mustChangePassword) return <Navigate to="/change-password" replace />;
  return (
    <AntApp component={false}>
      <MeProvider me={me.data}>
        <Shell />
      </MeProvider>
    </AntApp>
  );
}

function Shell() {
  const me = useMe();
  const screens = Grid.useBreakpoint();
  // useBreakpoint is empty on the first render; treat unknown as desktop to avoid a flash.
  const phone = screens.md === false;
  const location = useLocation();
  const navigate = useNavigate();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const menuItems = useMemo(() => buildMenu(me), [me]);
  const selected = selectedPath(location.pathname);
  const openGroups = useMemo(() => {
    const module = MODULE_PAGES.find((m) => m.path === selected);
    return module?.group ? [`group:${module.group}`] : [];
  }, [selected]);

  const matches = useMatches();
  const allowed = matches.every((match) => hasPermission(me, (match.handle as RouteHandle | undefined)?.permission));

  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      items={menuItems}
      selectedKeys={[selected]}
      defaultOpenKeys={openGroups}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: 0, background: 'transparent' }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={256}
          title="科经信工作平台"
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={220} style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
          <Brand />
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Header phone={phone} onOpenMenu={() => setDrawerOpen(true)} />
        {me.demoMode ? <Alert type="warning" banner title={DEMO_NOTICE} role="note" /> : null}
        <Layout.Content style={{ padding: phone ? 12 : 24 }}>
          <Suspense fallback={<PageLoading />}>{allowed ? <Outlet /> : <ForbiddenPage />}</Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#8c8c8c', fontSize: 12, padding: '12px 24px' }}>
          科经信工作平台 · 科学技术和经济信息化局
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}

function Brand() {
  return (
    <Flex align="center" justify="center" style={{ height: 56, color: '#fff', fontWeight: 600, fontSize: 16, letterSpacing: 1, overflow: 'hidden', whiteSpace: 'nowrap' }}>
      科经信工作平台
    </Flex>
  );
}

function Header({ phone, onOpenMenu }: { phone: boolean; onOpenMenu: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const scopeLabel = SCOPE_LABELS[me.scope.kind];

  const switchUnit = useMutation({
    mutationFn: switchActiveUnit,
    onSuccess: async (next) => {
      queryClient.setQueryData(ME_KEY, next);
      message.success(`已切换到 ${next.activeUnit.name}`);
      // Everything on screen was read in the old unit's scope.
      await queryClient.invalidateQueries();
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '切换单位失败'),
  });

  const signOut = useMutation({
    mutationFn: logout,
    onSettled: () => void navigate('/login', { replace: true }),
  });

  const userMenu: MenuProps['items'] = [
    { key: 'who', label: `${me.displayName}（${me.username}）`, icon: <UserOutlined />, disabled: true },
    { type: 'divider' },
    { key: '/change-password', label: '修改密码', icon: <KeyOutlined /> },
    { key: '/account/tokens', label: 'API 令牌', icon: <SafetyCertificateOutlined /> },
    { type: 'divider' },
    { key: 'logout', label: '退出登录', icon: <LogoutOutlined />, danger: true },
  ];

  return (
    <Layout.Header
      style={{
        background: '#fff',
        padding: phone ? '0 12px' : '0 24px',
        height: 56,
        lineHeight: '56px',
        display: 'flex',
        alignItems: 'center',
        gap: 12,
        boxShadow: '0 1px 4px rgba(0, 21, 41, 0.08)',
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      {phone ? <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" onClick={onOpenMenu} /> : null}
      {phone ? (
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
          科经信
        </Typography.Text>
      ) : null}
      <Flex align="center" gap={8} style={{ marginInlineStart: 'auto', minWidth: 0 }} data-testid="header-unit">
        {me.units.length > 1 ? (
          <Select
            aria-label="切换工作单位"
            value={me.activeUnit.id}
            loading={switchUnit.isPending}
            onChange={(unitId: string) => switchUnit.mutate(unitId)}
            options={me.units.map((unit) => ({ value: unit.id, label: unit.name }))}
            popupMatchSelectWidth={false}
            style={{ maxWidth: phone ? 140 : 260 }}
          />
        ) : (
          <Typography.Text ellipsis style={{ maxWidth: phone ? 120 : 320 }} title={me.activeUnit.name}>
            {me.activeUnit.name}
          </Typography.Text>
        )}
        <Tag color={me.scope.kind === 'all' ? 'blue' : me.scope.kind === 'town' ? 'green' : 'orange'} style={{ marginInlineEnd: 0 }}>
          {scopeLabel}
        </Tag>
      </Flex>
      <Dropdown
        menu={{
          items: userMenu,
          onClick: ({ key }) => {
            if (key === 'logout') signOut.mutate();
            else void navigate(key);
          },
        }}
        trigger={['click']}
        placement="bottomRight"
      >
        <Button type="text" aria-label="用户菜单" style={{ paddingInline: 4 }}>
          <Flex align="center" gap={6}>
            <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1d5fbf' }} />
            {phone ? null : <span>{me.displayName}</span>}
          </Flex>
        </Button>
      </Dropdown>
    </Layout.Header>
  );
}
