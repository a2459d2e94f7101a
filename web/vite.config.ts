import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// The web app lives in web/ and is served by the platform from dist/web. The `#common/*` and
// `#web/*` aliases mirror package.json `imports` so the same import paths work in tsc and Vite.
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^#common\/(.*)$/, replacement: `${repoRoot}common/$1` },
      { find: /^#web\/(.*)$/, replacement: `${repoRoot}web/$1` },
    ],
  },
  build: {
    outDir: `${repoRoot}dist/web`,
    emptyOutDir: true,
    // Served with CSP `script-src 'self'`: everything stays in files, nothing inline.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
