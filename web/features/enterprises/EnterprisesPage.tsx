import { useState } from 'react';
import { Button, Form, Input, Select, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { checkIndustryCode } from '#common/industry.ts';
import type { EnterpriseSort } from '#common/contracts/enterprises.ts';
import { ExportButton } from '#web/components/ExportButton.tsx';
import { FilterTable } from '#web/components/FilterTable.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { SCOPE_LABELS, useCan, useMe } from '#web/features/auth/session.tsx';
import { ENTERPRISES_KEY, exportEnterprises, listEnterprises, useEnterpriseTags, type EnterpriseListItem } from '#web/features/enterprises/api.ts';
import { EnterpriseFormDrawer } from '#web/features/enterprises/EnterpriseFormDrawer.tsx';
import { INDUSTRY_DIVISION_OPTIONS, SORT_OPTIONS, useChainOptions, useTownOptions } from '#web/features/enterprises/options.ts';

interface Filters {
  search?: string;
  town?: string;
  chain?: string;
  industry?: string;
  aboveScale?: 'true' | 'false';
  tag?: string;
  sort?: EnterpriseSort;
}

const toQuery = (values: Partial<Filters>) => ({
  search: values.search?.trim() || undefined,
  town: values.town,
  chain: values.chain,
  industry: values.industry,
  aboveScale: values.aboveScale,
  tag: values.tag,
  sort: values.sort,
});

/** 企业档案: the registry of the enterprises the user's scope reaches, searched and filtered; export, create, import. */
export function EnterprisesPage() {
  const can = useCan();
  const me = useMe();
  const write = can('enterprises.write');
  const navigate = useNavigate();
  const towns = useTownOptions();
  const chains = useChainOptions();
  const tags = useEnterpriseTags();
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<EnterpriseListItem> = [
    {
      title: '企业名称',
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, e) => (
        <Link to={`/enterprises/${encodeURIComponent(e.id)}`}>
          <Typography.Text strong>{name}</Typography.Text>
        </Link>
      ),
    },
    { title: '统一社会信用代码', dataIndex: 'uscc', render: (v: string) => <Typography.Text copyable={{ text: v }}>{v}</Typography.Text> },
    { title: '所属镇街', dataIndex: ['town', 'name'] },
    {
      title: '行业',
      dataIndex: 'industryCode',
      render: (code: string) => {
        const name = checkIndustryCode(code).className;
        return (
          <span>
            {code}
            {name ? <Typography.Text type="secondary"> {name}</Typography.Text> : null}
          </span>
        );
      },
    },
    { title: '产业链', dataIndex: 'chains', render: (list: EnterpriseListItem['chains']) => (list.length ? list.map((c) => <Tag key={c.id}>{c.name}</Tag>) : '—') },
    { title: '规上', dataIndex: 'aboveScale', render: (v: boolean) => (v ? <Tag color="blue">规上</Tag> : <Tag>规下</Tag>) },
  ];

  return (
    <>
      <PageHeader
        title="企业档案"
        description={`一企一档：${SCOPE_LABELS[me.scope.kind]}企业的统一社会信用代码、行业、产业链、规上情况和联系人。`}
        extra={
          write ? (
            <>
              <Button icon={<ImportOutlined />} onClick={() => void navigate('/enterprises/import')}>
                导入名录
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                登记企业
              </Button>
            </>
          ) : null
        }
      />
      <FilterTable<EnterpriseListItem, Filters, ReturnType<typeof toQuery>>
        queryKey={ENTERPRISES_KEY}
        fetchPage={(query, signal) => listEnterprises(query, signal)}
        toQuery={toQuery}
        rowKey="id"
        columns={columns}
        toolbar={(query) => <ExportButton label="导出名录" onExport={() => exportEnterprises(query)} />}
        filters={
          <>
            <Form.Item name="search" label="关键字">
              <Input allowClear placeholder="企业名称或信用代码" style={{ width: 200 }} />
            </Form.Item>
            {me.scope.kind === 'all' ? (
              <Form.Item name="town" label="镇街">
                <Select allowClear placeholder="全部镇街" options={towns.options} loading={towns.loading} style={{ width: 160 }} popupMatchSelectWidth={false} />
              </Form.Item>
            ) : null}
            <Form.Item name="chain" label="产业链">
              <Select allowClear placeholder="全部产业链" options={chains.options} loading={chains.loading} style={{ width: 170 }} popupMatchSelectWidth={false} />
            </Form.Item>
            <Form.Item name="industry" label="行业大类">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="全部行业"
                options={INDUSTRY_DIVISION_OPTIONS}
                style={{ width: 180 }}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
            <Form.Item name="aboveScale" label="规上">
              <Select
                allowClear
                placeholder="全部"
                options={[
                  { value: 'true', label: '规上企业' },
                  { value: 'false', label: '规下企业' },
                ]}
                style={{ width: 120 }}
              />
            </Form.Item>
            <Form.Item name="tag" label="标签">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="全部标签"
                options={(tags.data ?? []).map((t) => ({ value: t.tag, label: `${t.tag}（${t.count}）` }))}
                loading={tags.isPending}
                style={{ width: 160 }}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
            <Form.Item name="sort" label="排序">
              <Select placeholder="按镇街" options={SORT_OPTIONS} style={{ width: 140 }} />
            </Form.Item>
          </>
        }
      />
      <EnterpriseFormDrawer open={creating} enterprise={null} onClose={() => setCreating(false)} />
    </>
  );
}
