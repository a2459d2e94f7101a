import { useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Grid, Table } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';

export interface Paging {
  page: number;
  pageSize: number;
}

export interface FilterTableProps<Row extends object, Values extends object, Query extends object> {
  /** Prefix of the query key; the feature's key so its mutations can invalidate the list. */
  queryKey: readonly unknown[];
  fetchPage: (query: Query & Paging, signal: AbortSignal) => Promise<{ items: Row[]; total: number }>;
  /** Form.Item elements of the filter bar; their names are the fields of `Values`. */
  filters?: ReactNode;
  /** Turns the filter form's values into the API's query (dates to YYYY-MM-DD, blanks dropped). */
  toQuery: (values: Partial<Values>) => Query;
  initialValues?: Partial<Values>;
  columns: TableColumnsType<Row>;
  rowKey: TableProps<Row>['rowKey'];
  expandable?: TableProps<Row>['expandable'];
  /** Buttons above the table (create, export), given the filters in force. */
  toolbar?: (query: Query) => ReactNode;
  defaultPageSize?: number;
}

/**
 * The admin list pattern, written once: a filter bar (查询 / 重置) over a server-paged table.
 * Changing a filter goes back to page 1; the previous page stays on screen while the next loads.
 */
export function FilterTable<Row extends object, Values extends object, Query extends object>(props: FilterTableProps<Row, Values, Query>) {
  const { queryKey, fetchPage, filters, toQuery, initialValues, columns, rowKey, expandable, toolbar, defaultPageSize = 20 } = props;
  const [form] = Form.useForm<Values>();
  const screens = Grid.useBreakpoint();
  const [query, setQuery] = useState<Query>(() => toQuery(initialValues ?? {}));
  const [paging, setPaging] = useState<Paging>({ page: 1, pageSize: defaultPageSize });

  const result = useQuery({
    queryKey: [...queryKey, 'page', query, paging],
    queryFn: ({ signal }) => fetchPage({ ...query, ...paging }, signal),
    placeholderData: keepPreviousData,
  });

  const apply = (values: Partial<Values>) => {
    setQuery(toQuery(values));
    setPaging((current) => ({ ...current, page: 1 }));
  };

  return (
    <Flex vertical gap={16}>
      {filters ? (
        <Card size="small">
          <Form<Values>
            form={form}
            name="filters"
            layout={screens.md ? 'inline' : 'vertical'}
            className={screens.md ? undefined : 'kj-filters-stacked'}
            initialValues={initialValues}
            onFinish={apply}
            style={{ rowGap: 12 }}
          >
            {filters}
            <Form.Item style={{ marginInlineEnd: 0 }}>
              <Flex gap={8}>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                  查询
                </Button>
                <Button
                  icon={<ReloadOutlined />}
                  onClick={() => {
                    form.resetFields();
                    apply(form.getFieldsValue());
                  }}
                >
                  重置
                </Button>
              </Flex>
            </Form.Item>
          </Form>
        </Card>
      ) : null}
      {toolbar ? (
        <Flex gap={8} wrap justify="flex-end">
          {toolbar(query)}
        </Flex>
      ) : null}
      {result.isError ? <Alert type="error" showIcon title={result.error.message} /> : null}
      <Table<Row>
        rowKey={rowKey}
        columns={columns}
        dataSource={result.data?.items ?? []}
        loading={result.isFetching}
        expandable={expandable}
        size={screens.md ? 'middle' : 'small'}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: result.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total} 条`,
          simple: !screens.md,
          onChange: (page, pageSize) => setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
        }}
      />
    </Flex>
  );
}
