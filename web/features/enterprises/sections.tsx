import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import type { Permission } from '#common/permissions.ts';
import type { EnterpriseDetail } from '#common/contracts/enterprises.ts';

/**
 * The tabs of an enterprise's file (一企一档) that other modules contribute: monthly figures
 * (monitoring), qualifications (cultivation), projects, demands and visits, inspections. A module
 * adds one row here with its lazily loaded component; the detail page shows the tabs the user's
 * permissions open, after the registry's own 基本信息 tab. Each component receives the record.
 */
export interface EnterpriseSection {
  key: string;
  title: string;
  permission?: Permission;
  Component: LazyExoticComponent<ComponentType<{ enterprise: EnterpriseDetail }>>;
}

export const ENTERPRISE_SECTIONS: EnterpriseSection[] = [
  {
    key: 'cultivation',
    title: '资质与培育',
    permission: 'cultivation.read',
    Component: lazy(async () => ({ default: (await import('#web/features/cultivation/EnterpriseCultivationSection.tsx')).EnterpriseCultivationSection })),
  },
];
