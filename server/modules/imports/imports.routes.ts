import { z } from 'zod';
import { importProgressSchema, progressTokenSchema } from '#common/contracts/imports.ts';
import type { App } from '#server/platform/http.ts';
import { readImportProgress } from '#server/platform/import-progress.ts';
import { contextOf } from '#server/platform/request-context.ts';

/** Progress of the caller's own long imports (monthly reports, the enterprise roster). */
export function registerImportRoutes(app: App): void {
  app.get('/api/imports/progress/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['platform'],
      summary: '查询本人一次上传导入的处理进度（id 为上传时 X-Import-Progress 请求头中的随机标识）',
      params: z.object({ id: progressTokenSchema }),
      response: { 200: importProgressSchema },
    },
    handler: async (request) => readImportProgress(contextOf(request).principal.userId, request.params.id),
  });
}
