import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  DesktopOutlined,
  HomeOutlined,
  LoginOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { AimOutlined, FileSearchOutlined, ProfileOutlined, RiseOutlined, ScheduleOutlined, TrophyOutlined } from '@ant-design/icons';
import { AlertOutlined, CloudUploadOutlined, FormOutlined, FundOutlined, LineChartOutlined, SnippetsOutlined, TableOutlined } from '@ant-design/icons';
import type { Permission } from '#common/permissions.ts';

/**
 * The pages of the authenticated app, one row each: route, menu entry, the permission that
 * shows it, and the code, loaded only when the page is opened. The menu and the router are
 * both built from this table, so a new module adds its rows here and nowhere else.
 */
export interface ModulePage {
  /** Absolute path; '/' is the home page. */
  path: string;
  label: string;
  icon: ReactNode;
  /** Without it every signed-in user sees the page. */
  permission?: Permission;
  /** Menu group the entry sits in; none = top level. */
  group?: MenuGroupKey;
  /** One line for the home page's list of what the user may do. */
  description: string;
  /** Shown in the menu (false for pages reached from elsewhere, such as the user menu). */
  inMenu?: boolean;
  Page: LazyExoticComponent<ComponentType>;
}

export type MenuGroupKey = 'monitoring' | 'system';

/** Carried on each page's route so the layout can refuse what the user may not see. */
export interface RouteHandle {
  permission?: Permission;
}

export const MENU_GROUPS: Record<MenuGroupKey, { label: string; icon: ReactNode }> = {
  monitoring: { label: '运行监测', icon: <LineChartOutlined /> },
  system: { label: '系统管理', icon: <SettingOutlined /> },
};

/** React.lazy for a named export: pages use named exports only. */
function page<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): LazyExoticComponent<ComponentType> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

export const MODULE_PAGES: ModulePage[] = [
  {
    path: '/',
    label: '首页',
    icon: <HomeOutlined />,
    description: '工作台',
    Page: page(() => import('#web/features/home/HomePage.tsx'), 'HomePage'),
  },
  {
    path: '/enterprises',
    label: '企业档案',
    icon: <ShopOutlined />,
    permission: 'enterprises.read',
    description: '一企一档：查询、登记、导入和导出企业名录',
    Page: page(() => import('#web/features/enterprises/EnterprisesPage.tsx'), 'EnterprisesPage'),
  },
  {
    path: '/enterprises/import',
    label: '导入企业名录',
    icon: <ShopOutlined />,
    permission: 'enterprises.write',
    description: '上传 Excel 企业名录，检查、标注错误后一次导入',
    inMenu: false,
    Page: page(() => import('#web/features/enterprises/EnterpriseImportPage.tsx'), 'EnterpriseImportPage'),
  },
  {
    path: '/enterprises/:id',
    label: '企业档案详情',
    icon: <ShopOutlined />,
    permission: 'enterprises.read',
    description: '一家企业的完整档案',
    inMenu: false,
    Page: page(() => import('#web/features/enterprises/EnterpriseDetailPage.tsx'), 'EnterpriseDetailPage'),
  },
  {
    path: '/monitoring',
    label: '监测首页',
    icon: <FundOutlined />,
    permission: 'monitoring.read',
    group: 'monitoring',
    description: '规上工业主要指标、同口径增速与拉动、镇街和产业链对比，逐级查看企业明细',
    Page: page(() => import('#web/features/monitoring/DashboardPage.tsx'), 'MonitoringDashboardPage'),
  },
  {
    path: '/monitoring/import',
    label: '导入月报',
    icon: <CloudUploadOutlined />,
    permission: 'monitoring.import',
    group: 'monitoring',
    description: '上传企业月度报表，检查、标注错误后一次导入',
    Page: page(() => import('#web/features/monitoring/ImportPage.tsx'), 'MonitoringImportPage'),
  },
  {
    path: '/monitoring/form',
    label: '月报填报',
    icon: <FormOutlined />,
    permission: 'monitoring.import',
    group: 'monitoring',
    description: '企业在线填报本企业月报',
    Page: page(() => import('#web/features/monitoring/FormPage.tsx'), 'MonitoringFormPage'),
  },
  {
    path: '/monitoring/reports',
    label: '企业月报',
    icon: <TableOutlined />,
    permission: 'monitoring.read',
    group: 'monitoring',
    description: '查看各企业报送的月报数据',
    Page: page(() => import('#web/features/monitoring/ReportsPage.tsx'), 'MonitoringReportsPage'),
  },
  {
    path: '/monitoring/warnings',
    label: '预警',
    icon: <AlertOutlined />,
    permission: 'monitoring.read',
    group: 'monitoring',
    description: '产值下滑、未报、数据异常、增速落后目标的预警与处理',
    Page: page(() => import('#web/features/monitoring/WarningsPage.tsx'), 'MonitoringWarningsPage'),
  },
  {
    path: '/monitoring/forecast',
    label: '全年预测',
    icon: <LineChartOutlined />,
    permission: 'monitoring.read',
    group: 'monitoring',
    description: '全年预测与完成目标剩余月份所需增速',
    Page: page(() => import('#web/features/monitoring/ForecastPage.tsx'), 'MonitoringForecastPage'),
  },
  {
    path: '/monitoring/reported',
    label: '统计局公布指标',
    icon: <SnippetsOutlined />,
    permission: 'monitoring.read',
    group: 'monitoring',
    description: '录入和查看规上工业增加值增速等统计局公布数',
    Page: page(() => import('#web/features/monitoring/ReportedPage.tsx'), 'MonitoringReportedPage'),
  },
  {
    path: '/plans',
    label: '工作要点',
    icon: <ProfileOutlined />,
    permission: 'plans.read',
    description: '年度工作要点：红黄绿灯、进度汇总、未报送单位与督办',
    Page: page(() => import('#web/features/plans/PlansPage.tsx'), 'PlansPage'),
  },
  {
    path: '/plans/mine',
    label: '我的工作要点',
    icon: <ScheduleOutlined />,
    permission: 'plans.read',
    description: '本单位牵头或配合的工作要点，按月报送进展',
    Page: page(() => import('#web/features/plans/MyItemsPage.tsx'), 'MyItemsPage'),
  },
  {
    path: '/plans/import',
    label: '导入工作要点',
    icon: <FileSearchOutlined />,
    permission: 'plans.write',
    description: '粘贴或上传工作要点通知，核对识别结果后保存',
    inMenu: false,
    Page: page(() => import('#web/features/plans/PlanImportPage.tsx'), 'PlanImportPage'),
  },
  {
    path: '/plans/items/:id',
    label: '工作要点详情',
    icon: <ProfileOutlined />,
    permission: 'plans.read',
    description: '一项工作要点的进展、节点、督办和时间线',
    inMenu: false,
    Page: page(() => import('#web/features/plans/PlanItemPage.tsx'), 'PlanItemPage'),
  },
  {
    path: '/plans/:id',
    label: '工作要点树',
    icon: <ProfileOutlined />,
    permission: 'plans.read',
    description: '一份工作要点的全部事项',
    inMenu: false,
    Page: page(() => import('#web/features/plans/PlanTreePage.tsx'), 'PlanTreePage'),
  },
  {
    path: '/targets',
    label: '目标任务',
    icon: <AimOutlined />,
    permission: 'targets.read',
    description: '目标绑定数据：实际、进度要求、年底预测、状态，任务分解到镇街',
    Page: page(() => import('#web/features/targets/TargetsPage.tsx'), 'TargetsPage'),
  },
  {
    path: '/targets/rankings',
    label: '排序通报',
    icon: <TrophyOutlined />,
    permission: 'targets.read',
    description: '镇街月度排序，生成并下载公文格式的排序通报',
    Page: page(() => import('#web/features/targets/RankingsPage.tsx'), 'RankingsPage'),
  },
  {
    path: '/targets/:id',
    label: '目标详情',
    icon: <AimOutlined />,
    permission: 'targets.read',
    description: '一个目标的取数、填报、分解和逐月情况',
    inMenu: false,
    Page: page(() => import('#web/features/targets/TargetDetailPage.tsx'), 'TargetDetailPage'),
  },
  {
    path: '/cultivation',
    label: '培育梯队',
    icon: <RiseOutlined />,
    permission: 'cultivation.read',
    description: '科技型中小企业、高企、专精特新、小巨人等各梯级现状，候选企业按接近程度排序并列出差距',
    Page: page(() => import('#web/features/cultivation/LadderPage.tsx'), 'LadderPage'),
  },
  {
    path: '/cultivation/qualifications',
    label: '资质登记',
    icon: <RiseOutlined />,
    permission: 'cultivation.read',
    description: '企业资质登记、状态与到期提醒',
    inMenu: false,
    Page: page(() => import('#web/features/cultivation/QualificationsPage.tsx'), 'QualificationsPage'),
  },
  {
    path: '/cultivation/import',
    label: '导入年度数据与资质',
    icon: <RiseOutlined />,
    permission: 'cultivation.write',
    description: '上传企业年度数据、资质 Excel，检查后一次导入',
    inMenu: false,
    Page: page(() => import('#web/features/cultivation/CultivationImportPage.tsx'), 'CultivationImportPage'),
  },
  {
    path: '/cultivation/enterprises/:id',
    label: '资格评估',
    icon: <RiseOutlined />,
    permission: 'cultivation.read',
    description: '一家企业对照各项认定标准的评估与差距',
    inMenu: false,
    Page: page(() => import('#web/features/cultivation/CandidatePage.tsx'), 'CandidatePage'),
  },
  {
    path: '/admin/users',
    label: '用户管理',
    icon: <TeamOutlined />,
    permission: 'users.read',
    group: 'system',
    description: '创建账号、分配角色与所属单位、停用与重置密码',
    Page: page(() => import('#web/features/users/UsersPage.tsx'), 'UsersPage'),
  },
  {
    path: '/admin/units',
    label: '组织机构',
    icon: <ApartmentOutlined />,
    // The read-only unit tree is an administration page; every role may read units through the API.
    permission: 'org.manage',
    group: 'system',
    description: '局机关、股室与各镇街的单位树、统计代码和曾用名',
    Page: page(() => import('#web/features/org/UnitsPage.tsx'), 'UnitsPage'),
  },
  {
    path: '/admin/roles',
    label: '角色权限',
    icon: <SafetyCertificateOutlined />,
    permission: 'roles.manage',
    group: 'system',
    description: '调整各角色拥有的权限',
    Page: page(() => import('#web/features/users/RolesPage.tsx'), 'RolesPage'),
  },
  {
    path: '/admin/sessions',
    label: '在线用户',
    icon: <DesktopOutlined />,
    permission: 'sessions.manage',
    group: 'system',
    description: '查看当前登录的会话，必要时强制下线',
    Page: page(() => import('#web/features/auth/SessionsPage.tsx'), 'SessionsPage'),
  },
  {
    path: '/admin/audit',
    label: '审计日志',
    icon: <AuditOutlined />,
    permission: 'audit.read',
    group: 'system',
    description: '查询和导出所有数据变更记录',
    Page: page(() => import('#web/features/audit/AuditLogPage.tsx'), 'AuditLogPage'),
  },
  {
    path: '/admin/login-log',
    label: '登录日志',
    icon: <LoginOutlined />,
    permission: 'audit.read',
    group: 'system',
    description: '查询和导出登录成功与失败记录',
    Page: page(() => import('#web/features/audit/LoginLogPage.tsx'), 'LoginLogPage'),
  },
  {
    path: '/account/tokens',
    label: 'API 令牌',
    icon: <SafetyCertificateOutlined />,
    description: '为系统对接创建和吊销个人 API 令牌',
    inMenu: false,
    Page: page(() => import('#web/features/auth/ApiTokensPage.tsx'), 'ApiTokensPage'),
  },
];
