import { Card, Col, Descriptions, Flex, Row, Tag, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { ROLE_LABELS } from '#common/permissions.ts';
import { MODULE_PAGES } from '#web/app/modules.tsx';
import { hasPermission, SCOPE_LABELS, useMe } from '#web/features/auth/session.tsx';
import { beijingHour } from '#web/lib/format.ts';

const SCOPE_MEANING = {
  all: '可查看全区所有镇街与企业的数据',
  town: '可查看本镇街企业的明细数据，以及全区和各镇街的汇总数据与排名',
  enterprise: '可查看和填报本企业的数据',
} as const;

function greeting(hour: number): string {
  if (hour < 11) return '上午好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

/**
 * The home page every role lands on: who and where the user is working, and what they may do.
 * Business modules add their dashboards here as they arrive.
 */
export function HomePage() {
  const me = useMe();
  // Pages with a route parameter (an enterprise's file) are reached from their lists, not linked here.
  const links = MODULE_PAGES.filter((m) => m.path !== '/' && !m.path.includes(':') && hasPermission(me, m.permission));

  return (
    <Flex vertical gap={16}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {greeting(beijingHour())}，{me.displayName}
        </Typography.Title>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
          items={[
            { key: 'unit', label: '当前单位', children: me.activeUnit.name },
            {
              key: 'scope',
              label: '数据范围',
              children: (
                <Flex gap={8} wrap align="center">
                  <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                    {SCOPE_LABELS[me.scope.kind]}
                  </Tag>
                  <Typography.Text type="secondary">{SCOPE_MEANING[me.scope.kind]}</Typography.Text>
                </Flex>
              ),
            },
            { key: 'roles', label: '角色', children: me.roles.map((role) => ROLE_LABELS[role]).join('、') },
          ]}
        />
        {me.units.length > 1 ? (
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
            您同时属于 {me.units.map((u) => u.name).join('、')}，可在页面右上角切换当前工作单位。
          </Typography.Paragraph>
        ) : null}
      </Card>
      <Card title="我可以使用的功能">
        <Row gutter={[16, 16]}>
          {links.map((module) => (
            <Col key={module.path} xs={24} sm={12} lg={8}>
              <Link to={module.path}>
                <Card size="small" hoverable>
                  <Card.Meta avatar={<span style={{ fontSize: 22, color: '#1d5fbf' }}>{module.icon}</span>} title={module.label} description={module.description} />
                </Card>
              </Link>
            </Col>
          ))}
          <Col xs={24} sm={12} lg={8}>
            <Link to="/change-password">
              <Card size="small" hoverable>
                <Card.Meta avatar={<span style={{ fontSize: 22, color: '#1d5fbf' }}><KeyOutlined /></span>} title="修改密码" description="定期修改密码，保护账号安全" />
              </Card>
            </Link>
          </Col>
        </Row>
        {links.length <= 1 ? (
          <Typography.Paragraph type="secondary" style={{ margin: '16px 0 0' }}>
            企业档案、运行监测、目标任务等业务模块上线后将显示在这里。
          </Typography.Paragraph>
        ) : null}
      </Card>
    </Flex>
  );
}
