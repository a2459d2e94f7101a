import type { Role } from '#common/permissions.ts';

/** The demo password for every demo account. Demo mode never forces a change of it. */
export const DEMO_PASSWORD = 'kejing-demo';

/**
 * One account per role, plus a second town and an official seconded from a town to the bureau
 * (two units: shows active-unit switching). Units are named as in the district configuration.
 */
export const DEMO_ACCOUNTS: { username: string; displayName: string; roles: Role[]; units: string[]; note: string }[] = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], units: ['曾都区科学技术和经济信息化局'], note: '管理员：全部功能' },
  { username: 'leader', displayName: '王局长', roles: ['leader'], units: ['曾都区科学技术和经济信息化局'], note: '局领导：全区数据' },
  { username: 'yunxing', displayName: '李明（运行科）', roles: ['section'], units: ['运行科'], note: '股室：全区数据，维护本股室业务' },
  { username: 'hedian', displayName: '陈静（何店镇经发办）', roles: ['town'], units: ['何店镇'], note: '镇街：仅何店镇' },
  { username: 'xicheng', displayName: '赵磊（西城街道经发办）', roles: ['town'], units: ['西城街道'], note: '镇街：仅西城街道' },
  { username: 'jiediao', displayName: '周涛（淅河镇借调）', roles: ['town', 'section'], units: ['淅河镇', '运行科'], note: '借调人员：淅河镇 / 运行科 切换' },
  { username: 'qiye', displayName: '企业填报员', roles: ['enterprise'], units: ['何店镇'], note: '企业：仅本企业' },
  { username: 'chuangxin', displayName: '孙悦（创新中心）', roles: ['innovation'], units: ['曾都区科技创新促进中心'], note: '创新中心：创新登记' },
];
