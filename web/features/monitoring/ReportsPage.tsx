import { useEffect, useState } from 'react';
import { Button, Card, Empty, Form, Input, Select } from 'antd';
import { useNavigate } from 'react-router';
import { INDICATORS, indicatorOf } from '#common/indicators.ts';
import { FilterTable } from '#web/components/FilterTable.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan, useMe } from '#web/features/auth/session.tsx';
import { listReports, MONITORING_KEY, usePeriods, type Report } from '#web/features/monitoring/api.ts';
import { formatValue, periodLabel } from '#web/features/monitoring/format.ts';

type Values = { search?: string };
type Query = { search?: string };

/** 企业月报: the reports of one period within the user's scope, each indicator's two columns. */
export function MonitoringReportsPage() {
  const periods = usePeriods();
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const [period, setPeriod] = useState<string | null>(null);
  useEffect(() => {
    if (!period && periods.data?.latest) setPeriod(periods.data.latest);
  }, [period, periods.data]);

  const shown = INDICATORS.filter((i) => ['output_value', 'sales_value', 'revenue', 'profit', 'electricity', 'employees'].includes(i.code));
  return (
    <>
      <PageHeader
        title="企业月报"
        description="各企业报送的1–N月累计与上年同期（仅显示您管辖范围内的企业）。"
        extra={
          <>
            <Select
              aria-label="报告期"
              style={{ width: 150 }}
              value={period}
              onChange={setPeriod}
              options={(periods.data?.periods ?? []).map((p) => ({ value: p.period, label: periodLabel(p.period) }))}
            />
            {can('monitoring.import') ? <Button onClick={() => void navigate(me.enterpriseId ? `/monitoring/form?enterpriseId=${me.enterpriseId}` : '/monitoring/import')}>{me.enterpriseId ? '填报本企业月报' : '导入月报'}</Button> : null}
          </>
        }
      />
      {period ? (
        <FilterTable<Report, Values, Query>
          queryKey={[...MONITORING_KEY, 'reports', period]}
          fetchPage={(q, signal) => listReports({ period, page: q.page, pageSize: q.pageSize, ...(q.search ? { search: q.search } : {}) }, signal)}
          toQuery={(v) => (v.search ? { search: v.search } : {})}
          filters={
            <Form.Item name="search" label="企业">
              <Input allowClear placeholder="名称或统一社会信用代码" />
            </Form.Item>
          }
          rowKey={(r) => `${r.enterprise.id}:${r.period}`}
          columns={[
            { title: '企业', key: 'name', fixed: 'left', render: (_, r) => r.enterprise.name },
            { title: '镇街', key: 'town', render: (_, r) => r.enterprise.town.name },
            ...shown.map((i) => ({
              title: indicatorOf(i.code).name,
              key: i.code,
              align: 'right' as const,
              render: (_: unknown, r: Report) => {
                const v = r.values[i.code];
                return v ? `${formatValue(v.current, i.unit)}（上年 ${formatValue(v.previous, i.unit)}）` : '—';
              },
            })),
            { title: '来源', key: 'source', render: (_, r) => ({ import: '导入', form: '在线填报', demo: '演示' })[r.source] ?? r.source },
          ]}
        />
      ) : (
        <Card>
          <Empty description="还没有企业月报" />
        </Card>
      )}
    </>
  );
}
