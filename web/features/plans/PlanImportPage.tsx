import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Collapse, Flex, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, InboxOutlined, PlusOutlined } from '@ant-design/icons';
import { TARGET_COMPARATORS, TARGET_KIND_LABELS, TARGET_KINDS } from '#common/contracts/plans.ts';
import type { PlanTarget, RelatedTargetGroup } from '#common/contracts/plans.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { parsePlanFile, parsePlanText, PLANS_KEY, savePlan, type ParsedPlan, type PlanParseResult } from '#web/features/plans/api.ts';
import { COMPARATOR_LABELS } from '#web/features/targets/targetText.ts';
import { ApiError } from '#web/lib/http.ts';

/** Where a candidate sits: the main targets, or item `itemIndex` of group `groupIndex`. */
type Place = { section: 'main' } | { section: 'item'; groupIndex: number; itemIndex: number };

function targetsAt(plan: ParsedPlan, place: Place): PlanTarget[] {
  return place.section === 'main' ? plan.mainTargets : plan.groups[place.groupIndex]!.items[place.itemIndex]!.targets;
}

/** One table of candidates, every field editable; a row can be removed (it will not become a target). */
function CandidateTable({ targets, place, onChange, caption }: { targets: PlanTarget[]; place: Place; onChange: (place: Place, next: PlanTarget[]) => void; caption: string }) {
  const update = (index: number, patch: Partial<PlanTarget>) => onChange(place, targets.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  const columns: TableColumnsType<PlanTarget & { index: number }> = [
    {
      title: '指标',
      dataIndex: 'subject',
      render: (value: string, row) => <Input aria-label={`指标（${caption} 第 ${row.index + 1} 个）`} value={value} onChange={(e) => update(row.index, { subject: e.target.value })} />,
    },
    {
      title: '比较',
      dataIndex: 'comparator',
      width: 190,
      render: (value: PlanTarget['comparator'], row) => (
        <Select aria-label={`比较（${row.subject}）`} style={{ width: '100%' }} value={value} onChange={(comparator) => update(row.index, { comparator })} options={TARGET_COMPARATORS.map((c) => ({ value: c, label: COMPARATOR_LABELS[c] }))} />
      ),
    },
    {
      title: '目标值',
      dataIndex: 'value',
      width: 120,
      render: (value: number | null, row) => (
        <InputNumber aria-label={`目标值（${row.subject}）`} style={{ width: '100%' }} value={value} disabled={row.kind === 'milestone'} onChange={(v) => update(row.index, { value: v ?? null })} />
      ),
    },
    {
      title: '单位',
      dataIndex: 'unit',
      width: 90,
      render: (value: string | null, row) => <Input aria-label={`单位（${row.subject}）`} value={value ?? ''} disabled={row.kind === 'milestone'} onChange={(e) => update(row.index, { unit: e.target.value || null })} />,
    },
    {
      title: '类型',
      dataIndex: 'kind',
      width: 100,
      render: (value: PlanTarget['kind'], row) => (
        <Select aria-label={`类型（${row.subject}）`} style={{ width: '100%' }} value={value} onChange={(kind) => update(row.index, { kind, ...(kind === 'milestone' ? { value: null, unit: null } : {}) })} options={TARGET_KINDS.map((k) => ({ value: k, label: TARGET_KIND_LABELS[k] }))} />
      ),
    },
    {
      title: '原句',
      dataIndex: 'text',
      render: (text: string) => (
        <Typography.Text type="secondary" ellipsis={{ tooltip: text }} style={{ maxWidth: 260 }}>
          {text}
        </Typography.Text>
      ),
    },
    {
      title: '',
      width: 48,
      render: (_, row) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除目标（${row.subject}）`} onClick={() => onChange(place, targets.filter((_, i) => i !== row.index))} />,
    },
  ];
  return (
    <Table
      size="small"
      rowKey="index"
      pagination={false}
      columns={columns}
      dataSource={targets.map((t, index) => ({ ...t, index }))}
      locale={{ emptyText: '没有识别出目标' }}
      footer={() => (
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => onChange(place, [...targets, { text: '', subject: '', comparator: '>=', value: null, unit: null, kind: 'count' }])}
        >
          补充目标
        </Button>
      )}
    />
  );
}

function RelatedAlert({ related }: { related: RelatedTargetGroup[] }) {
  if (related.length === 0) return null;
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type={related.some((r) => r.conflict) ? 'warning' : 'info'}
      showIcon
      title="以下目标衡量同一事项，请核对（同一口径数值不同时需要确定以哪个为准）"
      description={
        <Space orientation="vertical" size={4}>
          {related.map((group) => (
            <div key={group.subject}>
              <Typography.Text strong>{group.subject}</Typography.Text>
              {group.conflict ? <Tag color="error" style={{ marginLeft: 8 }}>口径相同、数值不同</Tag> : null}：
              {group.targets.map((t, i) => (
                <Tag key={i} style={{ marginLeft: 4 }}>
                  {t.source.section === 'mainTargets' ? '主要目标' : `第 ${t.source.itemNumber} 项`} · {t.measure} · {t.target.value ?? ''}
                  {t.target.unit ?? ''}
                </Tag>
              ))}
            </div>
          ))}
        </Space>
      }
    />
  );
}

/**
 * 导入工作要点: paste or upload the notice, review what the parser read — header, main targets,
 * groups and items with their target candidates — correct it, and save. The original text is
 * kept with the plan; each candidate left in becomes a target.
 */
export function PlanImportPage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [parsed, setParsed] = useState<PlanParseResult | null>(null);
  const [plan, setPlan] = useState<ParsedPlan | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const accept = (result: PlanParseResult) => {
    setParsed(result);
    setPlan(result.plan);
    setYear(result.plan.date ? Number(result.plan.date.slice(0, 4)) : Number(/(\d{4})\s*年/.exec(result.plan.title ?? '')?.[1] ?? new Date().getFullYear()));
    setRefusal(null);
  };
  const fail = (error: unknown) => setRefusal(error instanceof ApiError ? error.message : '解析失败，请重试');

  const parseText = useMutation({ mutationFn: () => parsePlanText(text), onSuccess: accept, onError: fail });
  const parseFile = useMutation({ mutationFn: (file: File) => parsePlanFile(file), onSuccess: accept, onError: fail });
  const save = useMutation({
    mutationFn: () => savePlan({ text: parsed!.text, fileName: parsed!.fileName, plan: plan!, ...(year ? { year } : {}) }),
    onSuccess: async (detail) => {
      message.success(`已保存：${detail.plan.itemCount} 项工作要点，${detail.plan.targetCount} 个目标`);
      await queryClient.invalidateQueries({ queryKey: PLANS_KEY });
      void navigate(`/plans/${detail.plan.id}`);
    },
    onError: (error) => message.error(error instanceof ApiError ? error.message : '保存失败'),
  });

  const setTargets = (place: Place, next: PlanTarget[]) =>
    setPlan((current) => {
      if (!current) return current;
      const copy = structuredClone(current);
      const list = targetsAt(copy, place);
      list.splice(0, list.length, ...next);
      return copy;
    });
  const setItemTitle = (groupIndex: number, itemIndex: number, title: string) =>
    setPlan((current) => {
      if (!current) return current;
      const copy = structuredClone(current);
      copy.groups[groupIndex]!.items[itemIndex]!.title = title;
      return copy;
    });

  const itemCount = plan?.groups.reduce((n, g) => n + g.items.length, 0) ?? 0;
  const targetCount = plan ? plan.mainTargets.length + plan.groups.reduce((n, g) => n + g.items.reduce((m, i) => m + i.targets.length, 0), 0) : 0;

  return (
    <>
      <PageHeader title="导入工作要点" description="粘贴或上传工作要点通知，核对识别出的结构和目标后保存；原文随工作要点一并保存。" extra={<Button onClick={() => void navigate('/plans')}>返回列表</Button>} />
      {refusal ? <Alert type="error" showIcon title="无法解析" description={refusal} style={{ marginBottom: 16 }} /> : null}
      {!plan ? (
        <Card>
          <Tabs
            items={[
              {
                key: 'paste',
                label: '粘贴全文',
                children: (
                  <Flex vertical gap={12}>
                    <Input.TextArea
                      aria-label="通知全文"
                      value={text}
                      onChange={(e) => setText(e.target.value)}
                      autoSize={{ minRows: 14, maxRows: 28 }}
                      placeholder="把通知全文（含标题、主要目标和各部分工作要点）粘贴到这里；从 PDF 复制的分页、断行会自动处理"
                    />
                    <div>
                      <Button type="primary" loading={parseText.isPending} disabled={text.trim() === ''} onClick={() => parseText.mutate()}>
                        解析
                      </Button>
                    </div>
                  </Flex>
                ),
              },
              {
                key: 'upload',
                label: '上传文件',
                children: (
                  <Upload.Dragger
                    accept=".docx,.txt,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
                    multiple={false}
                    showUploadList={false}
                    beforeUpload={(file) => {
                      parseFile.mutate(file);
                      return false;
                    }}
                  >
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">点击或把通知文件拖到这里</p>
                    <p className="ant-upload-hint">Word（.docx）或文本（.txt，UTF-8 或 GBK 编码均可），不超过 20 MB</p>
                  </Upload.Dragger>
                ),
              },
            ]}
          />
        </Card>
      ) : (
        <Flex vertical gap={16}>
          <Card
            title="核对识别结果"
            extra={
              <Space>
                <Button onClick={() => setPlan(null)}>重新解析</Button>
                <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>
                  保存工作要点
                </Button>
              </Space>
            }
          >
            <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
              <Form.Item label="标题">
                <Input aria-label="标题" style={{ width: 380 }} value={plan.title ?? ''} onChange={(e) => setPlan({ ...plan, title: e.target.value || null })} />
              </Form.Item>
              <Form.Item label="发文单位">
                <Input aria-label="发文单位" style={{ width: 300 }} value={plan.issuer ?? ''} onChange={(e) => setPlan({ ...plan, issuer: e.target.value || null })} />
              </Form.Item>
              <Form.Item label="年度">
                <InputNumber aria-label="年度" min={2000} max={2099} value={year} onChange={(v) => setYear(v)} />
              </Form.Item>
            </Form>
            <Flex gap={16} wrap align="center" style={{ marginBottom: 12 }}>
              <Typography.Text type="secondary">
                {plan.date ? `发文日期 ${plan.date}，` : ''}
                {plan.groups.length} 个部分，{itemCount} 项工作要点，{targetCount} 个目标候选
              </Typography.Text>
            </Flex>
            {plan.overview ? (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}>
                {plan.overview}
              </Typography.Paragraph>
            ) : null}
            <RelatedAlert related={parsed?.related ?? []} />
            <Typography.Title level={5}>主要目标</Typography.Title>
            <CandidateTable caption="主要目标" targets={plan.mainTargets} place={{ section: 'main' }} onChange={setTargets} />
          </Card>
          <Card title="工作要点">
            <Collapse
              defaultActiveKey={plan.groups.map((_, i) => String(i))}
              items={plan.groups.map((group, groupIndex) => ({
                key: String(groupIndex),
                label: `${group.label ? `${group.label}、` : ''}${group.title}（${group.items.length} 项）`,
                children: (
                  <Flex vertical gap={12}>
                    {group.items.map((item, itemIndex) => (
                      <div key={itemIndex}>
                        <Flex gap={8} align="center">
                          <Tag>{item.label || '—'}</Tag>
                          <Input aria-label={`第 ${item.label || itemIndex + 1} 项标题`} value={item.title} onChange={(e) => setItemTitle(groupIndex, itemIndex, e.target.value)} />
                        </Flex>
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 1, expandable: true, symbol: '全文' }} style={{ margin: '4px 0 8px 48px' }}>
                          {item.text}
                        </Typography.Paragraph>
                        {item.targets.length ? (
                          <div style={{ marginLeft: 48 }}>
                            <CandidateTable caption={`第 ${item.label} 项`} targets={item.targets} place={{ section: 'item', groupIndex, itemIndex }} onChange={setTargets} />
                          </div>
                        ) : null}
                      </div>
                    ))}
                  </Flex>
                ),
              }))}
            />
          </Card>
        </Flex>
      )}
    </>
  );
}
