import { Suspense, useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Flex, Result, Table, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import type { EnterpriseDetail } from '#common/contracts/enterprises.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { useEnterprise } from '#web/features/enterprises/api.ts';
import { EnterpriseFormDrawer } from '#web/features/enterprises/EnterpriseFormDrawer.tsx';
import { formatScalePeriod } from '#web/features/enterprises/enterpriseForm.ts';
import { ENTERPRISE_SECTIONS } from '#web/features/enterprises/sections.tsx';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

const FIELD_NAMES: Record<string, string> = { uscc: '统一社会信用代码', industryCode: '国民经济行业代码' };

/** 一企一档: one enterprise's file. The registry's own tab first, then what other modules add. */
export function EnterpriseDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const can = useCan();
  const query = useEnterprise(id);
  const [editing, setEditing] = useState(false);

  if (query.isPending) return <PageLoading />;
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '企业不存在或不在您的管辖范围内' : '无法加载企业档案'}
        subTitle={notFound ? undefined : query.error.message}
        extra={<Button onClick={() => void navigate('/enterprises')}>返回企业列表</Button>}
      />
    );
  }
  const e = query.data;
  const sections = ENTERPRISE_SECTIONS.filter((s) => !s.permission || can(s.permission));

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回企业列表" onClick={() => void navigate('/enterprises')} />
            {e.name}
            {e.aboveScale ? <Tag color="blue">规上</Tag> : <Tag>规下</Tag>}
          </Flex>
        }
        description={`${e.town.name} · ${e.uscc}`}
        extra={
          can('enterprises.write') ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              编辑档案
            </Button>
          ) : null
        }
      />
      {e.warnings.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="档案中有需要核对的信息"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {e.warnings.map((w) => (
                <li key={`${w.field}:${w.message}`}>
                  {FIELD_NAMES[w.field] ?? w.field}：{w.message}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Tabs
        items={[
          { key: 'basic', label: '基本信息', children: <BasicSection enterprise={e} /> },
          ...sections.map((s) => ({
            key: s.key,
            label: s.title,
            children: (
              <Suspense fallback={<PageLoading />}>
                <s.Component enterprise={e} />
              </Suspense>
            ),
          })),
        ]}
      />
      <EnterpriseFormDrawer open={editing} enterprise={e} onClose={() => setEditing(false)} />
    </>
  );
}

function BasicSection({ enterprise: e }: { enterprise: EnterpriseDetail }) {
  const industryName = [e.industry.divisionName, e.industry.groupName !== e.industry.className ? e.industry.groupName : null, e.industry.className].filter(Boolean).join(' › ');
  return (
    <Flex vertical gap={16}>
      <Card title="登记信息" size="small">
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            { key: 'uscc', label: '统一社会信用代码', children: <Typography.Text copyable>{e.uscc}</Typography.Text> },
            { key: 'town', label: '所属镇街', children: e.town.name },
            { key: 'industry', label: '国民经济行业', children: `${e.industryCode}${industryName ? ` ${industryName}` : ''}` },
            { key: 'group', label: '所属集团', children: e.group?.name ?? '—' },
            { key: 'registered', label: '成立日期', children: e.registrationDate ?? '—' },
            { key: 'address', label: '地址', children: e.address ?? '—' },
            { key: 'contact', label: '联系人', children: e.contactName ?? '—' },
            { key: 'phone', label: '联系电话', children: e.contactPhone ?? '—' },
            { key: 'updated', label: '最近更新', children: formatDateTime(e.updatedAt) },
          ]}
        />
      </Card>
      <Card title="产业链与标签" size="small">
        <Flex gap={8} wrap align="center">
          <Typography.Text type="secondary">产业链：</Typography.Text>
          {e.chains.length ? e.chains.map((c) => <Tag key={c.id} color="geekblue">{c.name}</Tag>) : <Typography.Text type="secondary">未归入产业链</Typography.Text>}
        </Flex>
        <Flex gap={8} wrap align="center" style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">标签：</Typography.Text>
          {e.tags.length ? e.tags.map((t) => <Tag key={t}>{t}</Tag>) : <Typography.Text type="secondary">无</Typography.Text>}
        </Flex>
      </Card>
      <Card title="规上情况" size="small" extra={e.aboveScale ? `自 ${formatScalePeriod(e.scaleSince)} 起为规上企业` : '目前不是规上企业'}>
        {e.scaleHistory.length ? (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={e.scaleHistory}
            columns={[
              { title: '入库期', dataIndex: 'fromPeriod', render: (p: string) => formatScalePeriod(p) },
              { title: '入库方式', dataIndex: 'fromReason' },
              { title: '最后规上月份', dataIndex: 'toPeriod', render: (p: string | null) => (p ? formatScalePeriod(p) : '至今') },
              { title: '退出原因', dataIndex: 'toReason', render: (r: string | null) => r ?? '—' },
            ]}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有规上记录" />
        )}
      </Card>
    </Flex>
  );
}
