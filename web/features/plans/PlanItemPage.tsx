import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import dayjs from 'dayjs';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { ArrowLeftOutlined, EditOutlined, MinusCircleOutlined, PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { NOTE_KIND_LABELS, PLAN_ITEM_STATUS_LABELS, PLAN_ITEM_STATUSES } from '#common/contracts/plans.ts';
import type { PlanItemUpdateBody, ProgressReport } from '#common/contracts/plans.ts';
import { TOWN_KINDS } from '#common/contracts/org.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { PageLoading } from '#web/components/PageLoading.tsx';
import { useUnits } from '#web/features/org/api.ts';
import {
  addMilestone,
  addNote,
  attachFile,
  createSubItem,
  deleteMilestone,
  downloadAttachment,
  PLANS_KEY,
  reviewReport,
  submitReport,
  updateItem,
  updateMilestone,
  useItem,
  type PlanItemDetail,
  type ProgressReportBody,
} from '#web/features/plans/api.ts';
import { ItemStatusTag, Light, ProgressBar, ReportStatusTag } from '#web/features/plans/labels.tsx';
import { periodLabel } from '#web/features/plans/periods.ts';
import { PeriodSelect } from '#web/features/plans/PeriodSelect.tsx';
import { targetText } from '#web/features/targets/targetText.ts';
import { formatDateTime } from '#web/lib/format.ts';
import { ApiError } from '#web/lib/http.ts';

const errorText = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback);

/** 分配与编辑: lead and cooperating units, owning section, responsible person, status, progress. */
function AssignDrawer({ item, open, onClose }: { item: PlanItemDetail; open: boolean; onClose: () => void }) {
  const units = useUnits();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PlanItemUpdateBody>();
  const save = useMutation({
    mutationFn: (body: PlanItemUpdateBody) => updateItem(item.node.id, body),
    onSuccess: async () => {
      message.success('已保存');
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
      onClose();
    },
    onError: (error) => message.error(errorText(error, '保存失败')),
  });
  const all = (units.data ?? []).filter((u) => u.active);
  const options = all.map((u) => ({ value: u.id, label: u.name }));
  const sections = all.filter((u) => !TOWN_KINDS.includes(u.kind)).map((u) => ({ value: u.id, label: u.name }));
  const node = item.node;
  return (
    <Drawer
      open={open}
      title="分配与编辑"
      size={520}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
          保存
        </Button>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          leadUnitId: node.leadUnit?.id ?? null,
          cooperatingUnitIds: node.cooperatingUnits.map((u) => u.id),
          ownerSectionId: node.ownerSection?.id ?? null,
          responsiblePerson: node.responsiblePerson ?? '',
          status: node.status,
          progress: node.ownProgress,
          weight: node.weight,
          rollup: node.rollup,
        }}
        onFinish={(values) => {
          const body: PlanItemUpdateBody = { ...values, responsiblePerson: values.responsiblePerson || null };
          if (node.hasChildren) delete body.progress;
          if (node.kind === 'group') {
            delete body.leadUnitId;
            delete body.cooperatingUnitIds;
          }
          save.mutate(body);
        }}
      >
        {node.kind === 'item' ? (
          <>
            <Form.Item name="leadUnitId" label="牵头单位">
              <Select allowClear showSearch optionFilterProp="label" options={options} placeholder="选择牵头单位" />
            </Form.Item>
            <Form.Item name="cooperatingUnitIds" label="配合单位">
              <Select mode="multiple" showSearch optionFilterProp="label" options={options} placeholder="选择配合单位（可多选）" />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="ownerSectionId" label="审核股室" extra="负责审核月度进展的股室">
          <Select allowClear showSearch optionFilterProp="label" options={sections} />
        </Form.Item>
        <Form.Item name="responsiblePerson" label="责任人">
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="status" label="状态">
          <Select options={PLAN_ITEM_STATUSES.map((s) => ({ value: s, label: PLAN_ITEM_STATUS_LABELS[s] }))} />
        </Form.Item>
        {node.hasChildren || node.kind === 'group' ? (
          <Form.Item name="rollup" label="进度汇总方式">
            <Select options={[{ value: 'average', label: '下级平均' }, { value: 'weighted', label: '按下级权重加权' }]} />
          </Form.Item>
        ) : (
          <Form.Item name="progress" label="完成进度（%）">
            <InputNumber min={0} max={100} style={{ width: 160 }} />
          </Form.Item>
        )}
        <Form.Item name="weight" label="权重" extra="上级按加权汇总时使用" rules={[{ pattern: /^\d+(\.\d{1,3})?$/, message: '请填写非负数' }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type ReportForm = Omit<ProgressReportBody, 'figures'> & { figures?: { label: string; value: string; unit?: string }[] };

/** 报送进展: the month's progress of one of the caller's units on this item. */
function ReportCard({ item, year }: { item: PlanItemDetail; year: number }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReportForm>();
  const submit = useMutation({
    mutationFn: (values: ReportForm) => submitReport(item.node.id, { ...values, figures: values.figures ?? [] }),
    onSuccess: async () => {
      message.success('进展已报送，等待审核');
      form.resetFields(['text', 'figures']);
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
    },
    onError: (error) => message.error(errorText(error, '报送失败')),
  });
  return (
    <Card title="报送本月进展" size="small">
      <Form<ReportForm>
        form={form}
        layout="vertical"
        initialValues={{ period: item.period, unitId: item.reportAs[0]?.id, progress: item.node.ownProgress }}
        onFinish={(values) => submit.mutate(values)}
      >
        <Flex gap={16} wrap>
          <Form.Item name="period" label="报告期" rules={[{ required: true, message: '请选择报告期' }]}>
            <PeriodSelect year={year} label="报送报告期" />
          </Form.Item>
          {item.reportAs.length > 1 ? (
            <Form.Item name="unitId" label="报送单位">
              <Select style={{ width: 200 }} options={item.reportAs.map((u) => ({ value: u.id, label: u.name }))} />
            </Form.Item>
          ) : (
            <Form.Item label="报送单位">
              <Typography.Text>{item.reportAs[0]?.name}</Typography.Text>
            </Form.Item>
          )}
          <Form.Item name="progress" label="完成进度（%）" rules={[{ required: true, message: '请填写进度' }]}>
            <InputNumber aria-label="完成进度" min={0} max={100} style={{ width: 140 }} />
          </Form.Item>
        </Flex>
        <Form.Item name="text" label="进展情况" rules={[{ required: true, whitespace: true, message: '请填写进展情况' }]}>
          <Input.TextArea aria-label="进展情况" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={10000} placeholder="本月做了什么、完成了哪些节点、存在什么困难" />
        </Form.Item>
        <Form.List name="figures">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline">
                  <Form.Item name={[field.name, 'label']} rules={[{ required: true, message: '指标' }]}>
                    <Input placeholder="指标，如 新增规上企业" />
                  </Form.Item>
                  <Form.Item name={[field.name, 'value']} rules={[{ required: true, pattern: /^-?\d+(\.\d+)?$/, message: '数字' }]}>
                    <Input placeholder="数值" style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'unit']}>
                    <Input placeholder="单位" style={{ width: 80 }} />
                  </Form.Item>
                  <MinusCircleOutlined aria-label="删除数据" onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: '', value: '', unit: '' })}>
                  添加数据
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          报送进展
        </Button>
      </Form>
    </Card>
  );
}

function ReportsTable({ item }: { item: PlanItemDetail }) {
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: PLANS_KEY });
  const review = useMutation({
    mutationFn: ({ report, decision, note }: { report: ProgressReport; decision: 'approve' | 'return'; note?: string }) => reviewReport(report.id, decision, note),
    onSuccess: async (_, v) => {
      message.success(v.decision === 'approve' ? '已审核通过' : '已退回');
      await refresh();
    },
    onError: (error) => message.error(errorText(error, '审核失败')),
  });
  const attach = useMutation({
    mutationFn: ({ report, file }: { report: ProgressReport; file: File }) => attachFile(report.id, file),
    onSuccess: async () => {
      message.success('附件已上传');
      await refresh();
    },
    onError: (error) => message.error(errorText(error, '上传失败')),
  });
  const mine = new Set(item.reportAs.map((u) => u.id));
  const askReturn = (report: ProgressReport) => {
    let note = '';
    modal.confirm({
      title: `退回 ${report.unit.name} 的 ${periodLabel(report.period)} 进展`,
      content: <Input.TextArea aria-label="退回意见" autoFocus onChange={(e) => (note = e.target.value)} placeholder="写明需要修改或补充的内容" />,
      okText: '退回',
      onOk: () => review.mutateAsync({ report, decision: 'return', note }),
    });
  };
  return (
    <Table<ProgressReport>
      rowKey="id"
      size="small"
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      dataSource={item.reports}
      locale={{ emptyText: '还没有进展报告' }}
      columns={[
        { title: '报告期', dataIndex: 'period', width: 110, render: (p: string) => periodLabel(p) },
        { title: '单位', dataIndex: 'unit', width: 120, render: (u: ProgressReport['unit']) => u.name },
        { title: '进度', dataIndex: 'progress', width: 70, render: (p: number) => `${p}%` },
        {
          title: '进展情况',
          dataIndex: 'text',
          render: (text: string, r) => (
            <>
              <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>{text}</Typography.Paragraph>
              {r.figures.map((f, i) => (
                <Tag key={i}>
                  {f.label} {f.value}
                  {f.unit}
                </Tag>
              ))}
              {r.attachments.map((a) => (
                <Button key={a.id} size="small" type="link" icon={<PaperClipOutlined />} onClick={() => void downloadAttachment(a.id, a.fileName)}>
                  {a.fileName}
                </Button>
              ))}
              {r.reviewNote ? <Typography.Text type="warning">审核意见：{r.reviewNote}</Typography.Text> : null}
            </>
          ),
        },
        { title: '报送', dataIndex: 'submittedAt', width: 170, render: (v: string, r) => `${r.submittedBy} ${formatDateTime(v)}` },
        { title: '状态', dataIndex: 'status', width: 90, render: (s: ProgressReport['status']) => <ReportStatusTag status={s} /> },
        {
          title: '操作',
          width: 190,
          render: (_, r) => (
            <Space size={4} wrap>
              {item.canReview && r.status === 'submitted' ? (
                <>
                  <Button size="small" type="primary" onClick={() => review.mutate({ report: r, decision: 'approve' })}>
                    通过
                  </Button>
                  <Button size="small" onClick={() => askReturn(r)}>
                    退回
                  </Button>
                </>
              ) : null}
              {mine.has(r.unit.id) && r.status !== 'approved' ? (
                <Upload
                  showUploadList={false}
                  accept=".jpg,.jpeg,.png,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.txt,.zip"
                  beforeUpload={(file) => {
                    attach.mutate({ report: r, file });
                    return false;
                  }}
                >
                  <Button size="small" icon={<PaperClipOutlined />}>
                    附件/照片
                  </Button>
                </Upload>
              ) : null}
            </Space>
          ),
        },
      ]}
    />
  );
}

function MilestonesCard({ item }: { item: PlanItemDetail }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ title: string; dueDate: dayjs.Dayjs }>();
  const done = () => queryClient.invalidateQueries({ queryKey: PLANS_KEY });
  const onError = (error: unknown) => message.error(errorText(error, '操作失败'));
  const add = useMutation({
    mutationFn: (v: { title: string; dueDate: dayjs.Dayjs }) => addMilestone(item.node.id, { title: v.title, dueDate: v.dueDate.format('YYYY-MM-DD') }),
    onSuccess: async () => {
      form.resetFields();
      await done();
    },
    onError,
  });
  const finish = useMutation({ mutationFn: (id: string) => updateMilestone(id, { doneDate: dayjs().format('YYYY-MM-DD') }), onSuccess: done, onError });
  const remove = useMutation({ mutationFn: (id: string) => deleteMilestone(id), onSuccess: done, onError });
  return (
    <Card title="节点" size="small">
      <List
        size="small"
        dataSource={item.milestones}
        locale={{ emptyText: '未设节点' }}
        renderItem={(m) => (
          <List.Item
            actions={
              item.canEdit
                ? [
                    m.doneDate ? null : (
                      <Button key="done" size="small" type="link" onClick={() => finish.mutate(m.id)}>
                        标记完成
                      </Button>
                    ),
                    <Popconfirm key="del" title="删除这个节点？" onConfirm={() => remove.mutate(m.id)}>
                      <Button size="small" type="link" danger>
                        删除
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Space>
              {m.title}
              <Typography.Text type="secondary">计划 {m.dueDate}</Typography.Text>
              {m.doneDate ? <Tag color="success">{m.doneDate} 完成</Tag> : m.overdue ? <Tag color="error">逾期</Tag> : null}
            </Space>
          </List.Item>
        )}
      />
      {item.canEdit ? (
        <Form form={form} layout="inline" style={{ marginTop: 8, rowGap: 8 }} onFinish={(v) => add.mutate(v)}>
          <Form.Item name="title" rules={[{ required: true, whitespace: true, message: '请填写节点' }]}>
            <Input placeholder="节点名称" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="dueDate" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker placeholder="计划完成日期" />
          </Form.Item>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending}>
            添加节点
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}

function NotesCard({ item }: { item: PlanItemDetail }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ text: string; unitId?: string }>();
  const assigned = [...(item.node.leadUnit ? [item.node.leadUnit] : []), ...item.node.cooperatingUnits];
  const add = useMutation({
    mutationFn: (v: { text: string; unitId?: string }) => addNote(item.node.id, { kind: 'supervision', text: v.text, unitId: v.unitId ?? null, period: item.period }),
    onSuccess: async () => {
      message.success('已督办');
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
    },
    onError: (error) => message.error(errorText(error, '督办失败')),
  });
  return (
    <Card title="督办" size="small">
      <List
        size="small"
        dataSource={item.notes}
        locale={{ emptyText: '暂无督办' }}
        renderItem={(n) => (
          <List.Item>
            <Space orientation="vertical" size={0}>
              <Space>
                <Tag color={n.kind === 'reminder' ? 'warning' : 'volcano'}>{NOTE_KIND_LABELS[n.kind]}</Tag>
                {n.unit ? <Typography.Text strong>{n.unit.name}</Typography.Text> : null}
                <Typography.Text type="secondary">
                  {n.createdBy} {formatDateTime(n.createdAt)}
                </Typography.Text>
              </Space>
              <Typography.Text>{n.text}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {item.canEdit ? (
        <Form form={form} layout="vertical" style={{ marginTop: 8 }} onFinish={(v) => add.mutate(v)}>
          <Form.Item name="unitId" label="督办对象">
            <Select allowClear placeholder="全部承担单位" options={assigned.map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
          <Form.Item name="text" label="督办意见" rules={[{ required: true, whitespace: true, message: '请填写督办意见' }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={5000} />
          </Form.Item>
          <Button htmlType="submit" loading={add.isPending}>
            发出督办
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}

/** 工作要点详情: assignment, milestones, monthly reports with review, 督办, linked targets and a timeline. */
export function PlanItemPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState<string | undefined>(search.get('period') ?? undefined);
  const [editing, setEditing] = useState(false);
  const query = useItem(id, period);
  const addChild = useMutation({
    mutationFn: (title: string) => createSubItem(id, title),
    onSuccess: async () => {
      message.success('已新增下级事项');
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
    },
    onError: (error) => message.error(errorText(error, '新增失败')),
  });
  const [childTitle, setChildTitle] = useState('');

  if (query.isPending) return <PageLoading />;
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={missing ? '工作要点不存在或未分配给本单位' : '无法加载'} subTitle={missing ? undefined : query.error.message} extra={<Button onClick={() => void navigate('/plans/mine')}>我的工作要点</Button>} />;
  }
  const item = query.data;
  const node = item.node;
  const year = Number(item.period.slice(0, 4));

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回工作要点" onClick={() => void navigate(`/plans/${item.planId}`)} />
            {node.label ? `${node.label}. ` : ''}
            {node.title}
            <Light light={node.light} withText />
          </Flex>
        }
        description={`${item.planTitle}${item.path.length ? ` · ${item.path.map((p) => `${p.label ? `${p.label}、` : ''}${p.title}`).join(' › ')}` : ''}`}
        extra={
          <>
            <PeriodSelect year={year} value={period ?? item.period} onChange={setPeriod} />
            {item.canEdit ? (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                分配与编辑
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <Card size="small">
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'progress', label: '进度', children: <ProgressBar value={node.progress} light={node.light} /> },
                  { key: 'status', label: '状态', children: <ItemStatusTag status={node.status} /> },
                  { key: 'lead', label: '牵头单位', children: node.leadUnit?.name ?? '未分配' },
                  { key: 'coop', label: '配合单位', children: node.cooperatingUnits.map((u) => u.name).join('、') || '—' },
                  { key: 'owner', label: '审核股室', children: node.ownerSection?.name ?? '—' },
                  { key: 'person', label: '责任人', children: node.responsiblePerson ?? '—' },
                  { key: 'missing', label: `${periodLabel(item.period)}未报送`, children: node.missingUnits.map((u) => <Tag key={u.id} color="error">{u.name}</Tag>) },
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 3, expandable: true, symbol: '全文' }}>
                {item.text}
              </Typography.Paragraph>
            </Card>
            {item.reportAs.length ? <ReportCard item={item} year={year} /> : null}
            <Card title="进展报告" size="small">
              <ReportsTable item={item} />
            </Card>
            {item.canEdit && node.kind === 'item' ? (
              <Card title="下级事项" size="small">
                <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
                  <Input aria-label="下级事项标题" value={childTitle} onChange={(e) => setChildTitle(e.target.value)} placeholder="分解出的具体任务，进度汇总到本项" />
                  <Button
                    icon={<PlusOutlined />}
                    disabled={childTitle.trim() === ''}
                    loading={addChild.isPending}
                    onClick={() => addChild.mutate(childTitle.trim(), { onSuccess: () => setChildTitle('') })}
                  >
                    新增
                  </Button>
                </Space.Compact>
              </Card>
            ) : null}
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            {item.targets.length ? (
              <Card title="相关目标" size="small">
                <List
                  size="small"
                  dataSource={item.targets}
                  renderItem={(t) => (
                    <List.Item>
                      <Link to={`/targets/${t.id}`}>{t.subject}</Link>
                      <Typography.Text>{targetText(t)}</Typography.Text>
                    </List.Item>
                  )}
                />
              </Card>
            ) : null}
            <MilestonesCard item={item} />
            <NotesCard item={item} />
            <Card title="时间线" size="small">
              <Timeline
                items={item.timeline.map((t) => ({
                  color: t.kind === 'note' ? 'red' : t.kind === 'review' ? 'green' : t.kind === 'milestone' ? 'gray' : 'blue',
                  title: t.at.length > 10 ? formatDateTime(t.at) : t.at,
                  content: (
                    <>
                      <Typography.Text>{t.title}</Typography.Text>
                      {t.detail ? (
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true, symbol: '展开' }} style={{ marginBottom: 0 }}>
                          {t.detail}
                        </Typography.Paragraph>
                      ) : null}
                    </>
                  ),
                }))}
              />
            </Card>
          </Flex>
        </Col>
      </Row>
      <AssignDrawer item={item} open={editing} onClose={() => setEditing(false)} />
    </>
  );
}
