import { unitListSchema } from '#common/contracts/org.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { listUnits } from '#server/modules/org/org.service.ts';

export function registerOrgRoutes(app: App, deps: Deps): void {
  // The organisation chart is not scoped: every user may see which units exist.
  app.get('/api/units', {
    config: { access: 'org.read' },
    schema: { tags: ['org'], summary: '组织机构（局机关、股室、镇街）', response: { 200: unitListSchema } },
    handler: async () => ({ items: await listUnits(deps.db) }),
  });
}
