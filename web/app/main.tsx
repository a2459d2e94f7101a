import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { Providers } from '#web/app/providers.tsx';
import { router } from '#web/app/router.tsx';
import '#web/app/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('页面缺少 #root 节点');

createRoot(root).render(
  <StrictMode>
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
