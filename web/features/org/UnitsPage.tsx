import { useMemo, useState } from 'react';
import { Alert, Card, Flex, Input, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { UNIT_KIND_LABELS } from '#common/contracts/org.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useUnits } from '#web/features/org/api.ts';
import { buildUnitTree, UNIT_KIND_COLORS, unitMatches, type UnitNode } from '#web/features/org/unitTree.ts';

const columns: TableColumnsType<UnitNode> = [
  {
    title: '单位名称',
    dataIndex: 'name',
    render: (_: unknown, unit) => (
      <span>
        {unit.name}
        {unit.shortName && unit.shortName !== unit.name ? <Typography.Text type="secondary">（{unit.shortName}）</Typography.Text> : null}
      </span>
    ),
  },
  {
    title: '类型',
    dataIndex: 'kind',
    width: 100,
    render: (_: unknown, unit) => <Tag color={UNIT_KIND_COLORS[unit.kind]}>{UNIT_KIND_LABELS[unit.kind]}</Tag>,
  },
  { title: '统计代码', dataIndex: 'code', width: 150, render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
  {
    title: '曾用名 / 别名',
    dataIndex: 'aliases',
    render: (aliases: string[]) => (aliases.length ? aliases.map((a) => <Tag key={a}>{a}</Tag>) : <Typography.Text type="secondary">—</Typography.Text>),
  },
  {
    title: '状态',
    dataIndex: 'active',
    width: 80,
    render: (active: boolean) => (active ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>),
  },
];

/** The district's units: bureau, sections, centre and every street, town and zone with its code. */
export function UnitsPage() {
  const units = useUnits();
  const [search, setSearch] = useState('');
  const tree = useMemo(() => buildUnitTree(units.data ?? []), [units.data]);
  // While searching, a flat list of matches is easier to read than a half-open tree.
  const rows = useMemo(() => (search.trim() ? (units.data ?? []).filter((u) => unitMatches(u, search)) : tree), [search, tree, units.data]);

  return (
    <>
      <PageHeader title="组织机构" description="单位树由辖区配置生成；导入数据时按统计代码、名称或曾用名匹配单位。" />
      <Card>
        <Flex vertical gap={16}>
          <Input.Search
            allowClear
            placeholder="按名称、统计代码或曾用名查找"
            onSearch={setSearch}
            onChange={(e) => {
              if (!e.target.value) setSearch('');
            }}
            style={{ maxWidth: 360 }}
          />
          {units.isError ? <Alert type="error" showIcon title={units.error.message} /> : null}
          {units.data ? (
            <Table<UnitNode>
              key="units"
              rowKey="id"
              columns={columns}
              dataSource={rows}
              loading={units.isFetching}
              pagination={false}
              size="middle"
              scroll={{ x: 'max-content' }}
              expandable={{ defaultExpandAllRows: true }}
            />
          ) : (
            // Mounted anew once the data is there, so that every branch opens (defaultExpandAllRows).
            <Table<UnitNode> key="loading" rowKey="id" columns={columns} dataSource={[]} loading />
          )}
        </Flex>
      </Card>
    </>
  );
}
