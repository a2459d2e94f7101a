import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { LoginPage } from '#web/features/auth/LoginPage.tsx';
import { configureHttp } from '#web/lib/http.ts';
import { MODULE_PAGES, type RouteHandle } from '#web/app/modules.tsx';

// Only the login page is in the first bundle; everything behind it loads on demand.
const AppLayout = lazy(async () => ({ default: (await import('#web/app/AppLayout.tsx')).AppLayout }));
const ChangePasswordPage = lazy(async () => ({ default: (await import('#web/features/auth/ChangePasswordPage.tsx')).ChangePasswordPage }));
const NotFoundPage = lazy(async () => ({ default: (await import('#web/app/StatusPages.tsx')).NotFoundPage }));

function load(Component: LazyExoticComponent<ComponentType>, fullScreen = false) {
  return (
    <Suspense fallback={<PageLoading fullScreen={fullScreen} />}>
      <Component />
    </Suspense>
  );
}

const pageRoutes: RouteObject[] = MODULE_PAGES.map((module): RouteObject => {
  const handle: RouteHandle = module.permission ? { permission: module.permission } : {};
  return module.path === '/'
    ? { index: true, element: load(module.Page), handle }
    : { path: module.path.slice(1), element: load(module.Page), handle };
});

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/change-password', element: load(ChangePasswordPage, true) },
  { path: '/', element: load(AppLayout, true), children: [...pageRoutes, { path: '*', element: load(NotFoundPage) }] },
]);

configureHttp({ navigate: (path) => void router.navigate(path, { replace: true }) });
