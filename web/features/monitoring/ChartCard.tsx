import { useState, type ReactNode } from 'react';
import { Card, Flex, Segmented, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { Chart, type ChartItem, type ChartOption } from '#web/components/Chart.tsx';
import { ExportButton } from '#web/components/ExportButton.tsx';

export interface ChartCardProps<Row extends object> {
  title: ReactNode;
  option: ChartOption;
  ariaLabel: string;
  /** The same data as a table: every chart can be read as numbers (and its numbers clicked). */
  columns: TableColumnsType<Row>;
  rows: Row[];
  rowKey: keyof Row & string;
  onExport: () => Promise<void>;
  onItemClick?: (item: ChartItem) => void;
  extra?: ReactNode;
  loading?: boolean;
  height?: number;
}

/** A chart with a 图表 / 表格 switch and an xlsx export, as every dashboard chart has. */
export function ChartCard<Row extends object>(props: ChartCardProps<Row>) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card
      title={props.title}
      extra={
        <Flex gap={8} wrap align="center">
          {props.extra}
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            options={[
              { label: '图表', value: 'chart' },
              { label: '表格', value: 'table' },
            ]}
          />
          <ExportButton onExport={props.onExport} />
        </Flex>
      }
    >
      {view === 'chart' ? (
        <Chart option={props.option} ariaLabel={props.ariaLabel} height={props.height ?? 320} loading={props.loading} {...(props.onItemClick ? { onItemClick: props.onItemClick } : {})} />
      ) : (
        <Table<Row> rowKey={props.rowKey} size="small" columns={props.columns} dataSource={props.rows} pagination={false} scroll={{ x: true, y: props.height ?? 320 }} loading={props.loading} />
      )}
    </Card>
  );
}
