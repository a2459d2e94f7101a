import { z } from 'zod';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError } from '#server/platform/errors.ts';
import { databaseAnswers, platformInfo } from '#server/modules/health/health.service.ts';
import { platformInfoSchema } from '#common/contracts/auth.ts';

const healthSchema = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() });

export function registerHealthRoutes(app: App, deps: Deps): void {
  app.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['platform'], summary: '健康检查', response: { 200: healthSchema } },
    handler: async () => {
      if (!(await databaseAnswers(deps))) throw new AppError('UNAVAILABLE', '数据库不可用');
      return { status: 'ok' as const, database: deps.dialect, version: deps.version };
    },
  });

  app.get('/api/platform/info', {
    config: { access: 'public' },
    schema: { tags: ['platform'], summary: '平台信息（登录前可见）', response: { 200: platformInfoSchema } },
    handler: async () => platformInfo(deps),
  });
}
