import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Collapse, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import {
  ANNUAL_FIELDS,
  AWARD_KIND_LABELS,
  AWARD_KINDS,
  AWARD_LEVEL_LABELS,
  AWARD_LEVELS,
  QUALIFICATION_KIND_LABELS,
  QUALIFICATION_KINDS,
  QUALIFICATION_LEVEL_LABELS,
  QUALIFICATION_LEVELS,
  RD_INSTITUTION_LEVEL_LABELS,
  RD_INSTITUTION_LEVELS,
  RECOGNITION_LABELS,
  STANDARD_LEVEL_LABELS,
  STANDARD_LEVELS,
  STANDARD_ROLE_LABELS,
  STANDARD_ROLES,
} from '#common/contracts/cultivation.ts';
import type { AnnualDataBody, Award, Criterion, Evaluation, QualificationBody, StandardRecord } from '#common/contracts/cultivation.ts';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan, useMe } from '#web/features/auth/session.tsx';
import { useEnterprise } from '#web/features/enterprises/api.ts';
import { ApiError } from '#web/lib/http.ts';
import { createQualification, CULTIVATION_KEY, saveAnnualData, useAnnualData, useEligibility, useMonitoringOffer, useQualifications } from '#web/features/cultivation/api.ts';
import type { AnnualData, Qualification } from '#web/features/cultivation/api.ts';
import { MetIcon, OutcomeTag, StatusTag } from '#web/features/cultivation/labels.tsx';
import { AdverseRecordsCard, EvidenceFiles } from '#web/features/cultivation/EvidenceAndAdverse.tsx';

function CriteriaTable({ criteria }: { criteria: Criterion[] }) {
  const columns: TableColumnsType<Criterion> = [
    { title: '条件 / 指标', dataIndex: 'label' },
    { title: '企业情况', dataIndex: 'value', width: 200, render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text> },
    { title: '标准', dataIndex: 'threshold', width: 260, render: (v: string | null) => <Typography.Text style={{ fontSize: 12 }}>{v ?? '—'}</Typography.Text> },
    { title: '判断', width: 100, render: (_, c) => <MetIcon criterion={c} /> },
    { title: '得分', width: 80, render: (_, c) => (c.maxPoints === null ? '' : `${c.points ?? '?'} / ${c.maxPoints}`) },
  ];
  const groups = [...new Set(criteria.map((c) => c.group))];
  return (
    <Flex vertical gap={12}>
      {groups.map((group) => (
        <div key={group}>
          <Typography.Text strong>{group}</Typography.Text>
          <Table<Criterion> size="small" rowKey="id" pagination={false} columns={columns} dataSource={criteria.filter((c) => c.group === group)} />
        </div>
      ))}
    </Flex>
  );
}

function EvaluationBody({ evaluation, advice }: { evaluation: Evaluation; advice: boolean }) {
  const shown = evaluation.outcome === 'no_rule_set' && evaluation.reference ? evaluation.reference : evaluation;
  return (
    <Flex vertical gap={12}>
      {evaluation.outcome === 'no_rule_set' ? (
        <Alert type="warning" showIcon title="评估基准日无现行有效的认定标准" description={evaluation.reference?.note ?? '该标准在基准日尚未施行'} />
      ) : null}
      {shown.ruleSet ? (
        <Typography.Text type="secondary">
          依据：{shown.ruleSet.title}（{shown.ruleSet.documents.map((d) => d.number ?? d.title).join('、')}，{shown.ruleSet.effectiveFrom} 起{shown.ruleSet.effectiveTo ? `至 ${shown.ruleSet.effectiveTo}` : ''}） · 数据年度 {shown.dataYear} 年
        </Typography.Text>
      ) : null}
      {shown.gaps.length > 0 ? (
        <Alert
          type={shown.outcome === 'not_eligible' ? 'warning' : 'info'}
          showIcon
          title={advice ? '差距与建议' : '差距'}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {shown.gaps.map((g, i) => (
                <li key={i}>{g.message}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {shown.missing.length > 0 ? <Alert type="warning" showIcon title="需补充的数据" description={shown.missing.join('、')} /> : null}
      <CriteriaTable criteria={shown.criteria} />
    </Flex>
  );
}

const AS_NUMBER = new Set(['count', 'level']);

type ListKey = 'awards' | 'standards';
const LIST_LABELS: Record<ListKey, string> = { awards: '获奖情况', standards: '制定标准' };

/**
 * 获奖情况 / 制定标准 as rows (add / remove), the same fields the import reads from
 * 「年度|级别|类别|排名|名称」 and 「年度|级别|角色|名称」. 未知 stays null (never read as none);
 * 已知 with no row is 无.
 */
function ListEditor({ field }: { field: ListKey }) {
  const known = Form.useWatch(`${field}Known`) as string | undefined;
  return (
    <>
      <Form.Item name={`${field}Known`} label={LIST_LABELS[field]}>
        <Select options={[{ value: 'unknown', label: '未知' }, { value: 'known', label: '按下列填写（无则不加行）' }]} />
      </Form.Item>
      {known === 'known' ? (
        <Form.List name={field}>
          {(rows, { add, remove }) => (
            <Flex vertical gap={4} style={{ marginBottom: 16 }} data-testid={`list-${field}`}>
              {rows.map((row) => (
                <Space key={row.key} align="start" wrap>
                  <Form.Item name={[row.name, 'year']} rules={[{ required: true, message: '年度' }]} noStyle>
                    <InputNumber min={1949} max={2100} placeholder="年度" style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[row.name, 'level']} rules={[{ required: true, message: '级别' }]} noStyle>
                    <Select<string>
                      placeholder="级别"
                      aria-label="级别"
                      style={{ width: 100 }}
                      options={field === 'awards' ? AWARD_LEVELS.map((l): { value: string; label: string } => ({ value: l, label: AWARD_LEVEL_LABELS[l] })) : STANDARD_LEVELS.map((l) => ({ value: l, label: STANDARD_LEVEL_LABELS[l] }))}
                    />
                  </Form.Item>
                  {field === 'awards' ? (
                    <>
                      <Form.Item name={[row.name, 'kind']} rules={[{ required: true, message: '类别' }]} noStyle>
                        <Select placeholder="类别" aria-label="类别" style={{ width: 110 }} options={AWARD_KINDS.map((k) => ({ value: k, label: AWARD_KIND_LABELS[k] }))} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'rank']} noStyle>
                        <InputNumber min={1} precision={0} placeholder="排名" style={{ width: 80 }} />
                      </Form.Item>
                    </>
                  ) : (
                    <Form.Item name={[row.name, 'role']} rules={[{ required: true, message: '角色' }]} noStyle>
                      <Select placeholder="主导/参与" aria-label="角色" style={{ width: 100 }} options={STANDARD_ROLES.map((r) => ({ value: r, label: STANDARD_ROLE_LABELS[r] }))} />
                    </Form.Item>
                  )}
                  <Form.Item name={[row.name, 'name']} rules={[{ required: true, whitespace: true, message: '名称' }]} noStyle>
                    <Input placeholder={field === 'awards' ? '奖项名称，如 湖北省科技进步奖二等奖' : '标准编号及名称'} maxLength={200} style={{ width: 260 }} />
                  </Form.Item>
                  <Button size="small" danger onClick={() => remove(row.name)}>
                    删除
                  </Button>
                </Space>
              ))}
              <Button size="small" style={{ alignSelf: 'flex-start' }} onClick={() => add()}>
                添加一行
              </Button>
            </Flex>
          )}
        </Form.List>
      ) : null}
    </>
  );
}

/** 获奖情况 / 制定标准 as read: 未知 (null), 无 (empty), or one entry per row. */
function listText(row: AnnualData, field: ListKey): string {
  if (field === 'awards') {
    const list = row.awards;
    if (list === null) return '—';
    return list.length === 0 ? '无' : list.map((a) => `${a.year} ${AWARD_LEVEL_LABELS[a.level]}${AWARD_KIND_LABELS[a.kind]}「${a.name}」${a.rank ? `（排名第 ${a.rank}）` : ''}`).join('；');
  }
  const list = row.standards;
  if (list === null) return '—';
  return list.length === 0 ? '无' : list.map((t) => `${t.year} ${STANDARD_ROLE_LABELS[t.role]}${STANDARD_LEVEL_LABELS[t.level]}标准「${t.name}」`).join('；');
}

/** The list as the API takes it: null when 未知, else the rows (rank left empty is null). */
function listValue(values: Record<string, unknown>, field: ListKey): Award[] | StandardRecord[] | null {
  if (values[`${field}Known`] !== 'known') return null;
  const rows = (values[field] as Record<string, unknown>[] | undefined) ?? [];
  return rows.map((r) => (field === 'awards' ? { ...r, rank: r.rank ?? null, name: String(r.name).trim() } : { ...r, name: String(r.name).trim() })) as Award[] | StandardRecord[];
}

function AnnualForm({ enterpriseId, initial, onDone }: { enterpriseId: string; initial: AnnualData | null; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const editable = ANNUAL_FIELDS.filter((f) => f.kind !== 'awards' && f.kind !== 'standards');
  const submit = async (values: Record<string, unknown>) => {
    const body: Record<string, unknown> = { enterpriseId, year: values.year };
    for (const f of editable) {
      const v = values[f.key];
      body[f.key] = v === undefined || v === '' || v === 'unknown' ? null : f.kind === 'flag' ? v === 'yes' : AS_NUMBER.has(f.kind) ? Number(v) : typeof v === 'string' ? v.trim() : String(v);
    }
    body.awards = listValue(values, 'awards');
    body.standards = listValue(values, 'standards');
    setSaving(true);
    try {
      await saveAnnualData(body as AnnualDataBody);
      message.success('已保存');
      onDone();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '保存失败');
    } finally {
      setSaving(false);
    }
  };
  const year = Form.useWatch('year', form) as number | undefined;
  const offer = useMonitoringOffer(enterpriseId, year);
  const initialValues: Record<string, unknown> = { year: initial?.year ?? new Date().getFullYear() - 1 };
  if (initial) for (const f of editable) initialValues[f.key] = f.kind === 'flag' ? (initial[f.key] === null ? 'unknown' : initial[f.key] ? 'yes' : 'no') : (initial[f.key] ?? undefined);
  for (const field of ['awards', 'standards'] as const) {
    const list = initial?.[field] ?? null;
    initialValues[`${field}Known`] = list === null ? 'unknown' : 'known';
    initialValues[field] = list ?? [];
  }
  return (
    <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => void submit(v)}>
      <Form.Item name="year" label="年度" rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} disabled={!!initial} />
      </Form.Item>
      <Typography.Paragraph type="secondary">金额单位：万元。留空表示未知（不是 0）。</Typography.Paragraph>
      {offer.data?.period ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`月报 ${offer.data.year} 年 1–12 月累计：营业收入 ${offer.data.operatingRevenue ?? '—'} 万元，研发费用 ${offer.data.rdExpense ?? '—'} 万元`}
          description="月报口径与年度财务口径可能不同，请核对后再采用。"
          action={
            <Button size="small" onClick={() => form.setFieldsValue({ ...(offer.data?.operatingRevenue ? { operatingRevenue: offer.data.operatingRevenue } : {}), ...(offer.data?.rdExpense ? { rdExpense: offer.data.rdExpense } : {}) })}>
              采用
            </Button>
          }
        />
      ) : null}
      {editable.map((f) => (
        <Form.Item key={f.key} name={f.key} label={f.unit ? `${f.header}（${f.unit}）` : f.header}>
          {f.kind === 'flag' ? (
            <Select options={[{ value: 'unknown', label: '未知' }, { value: 'yes', label: '是' }, { value: 'no', label: '否' }]} />
          ) : f.kind === 'rdLevel' ? (
            <Select allowClear options={RD_INSTITUTION_LEVELS.map((l) => ({ value: l, label: RD_INSTITUTION_LEVEL_LABELS[l] }))} />
          ) : AS_NUMBER.has(f.kind) ? (
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          ) : (
            <Input inputMode="decimal" />
          )}
        </Form.Item>
      ))}
      <ListEditor field="awards" />
      <ListEditor field="standards" />
      <Button type="primary" htmlType="submit" loading={saving}>
        保存
      </Button>
    </Form>
  );
}

function QualificationForm({ enterpriseId, onDone }: { enterpriseId: string; onDone: () => void }) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [kind, setKind] = useState<string>('high_tech');
  const submit = async (values: { kind: QualificationBody['kind']; level?: QualificationBody['level']; recognition?: QualificationBody['recognition']; number?: string; grantedOn: dayjs.Dayjs; expiresOn?: dayjs.Dayjs | null; note?: string }) => {
    setSaving(true);
    try {
      await createQualification({
        enterpriseId,
        kind: values.kind,
        level: values.level ?? null,
        recognition: values.recognition ?? null,
        number: values.number ?? null,
        grantedOn: values.grantedOn.format('YYYY-MM-DD'),
        ...(values.expiresOn ? { expiresOn: values.expiresOn.format('YYYY-MM-DD') } : {}),
        note: values.note ?? null,
      });
      message.success('已登记');
      onDone();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '登记失败');
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form layout="vertical" initialValues={{ kind: 'high_tech' }} onFinish={(v) => void submit(v)}>
      <Form.Item name="kind" label="资质类型" rules={[{ required: true }]}>
        <Select onChange={setKind} options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: QUALIFICATION_KIND_LABELS[k] }))} />
      </Form.Item>
      {kind === 'high_tech' ? (
        <Form.Item name="recognition" label="认定类型" rules={[{ required: true, message: '请选择首次认定或重新认定' }]}>
          <Select options={(['first', 'renewal'] as const).map((r) => ({ value: r, label: RECOGNITION_LABELS[r] }))} />
        </Form.Item>
      ) : null}
      <Form.Item name="level" label="级别" rules={kind === 'champion' ? [{ required: true, message: '单项冠军请选择级别' }] : []}>
        <Select allowClear options={QUALIFICATION_LEVELS.map((l) => ({ value: l, label: QUALIFICATION_LEVEL_LABELS[l] }))} />
      </Form.Item>
      <Form.Item name="number" label="证书编号 / 入库登记编号">
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="grantedOn" label="认定日期" rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="expiresOn" label="有效期至" extra="高新技术企业不填时按发证之日起三年计算">
        <DatePicker />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        登记
      </Button>
    </Form>
  );
}

/**
 * 资格评估: one enterprise against every rule as of a day — outcome, the rule set and its source,
 * every criterion with value, threshold and points, and the gaps quantified (for an enterprise
 * account, its advice). Below: its annual data and qualifications, editable by sections and towns.
 */
export function CandidatePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const can = useCan();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const asOf = search.get('asOf') ?? undefined;
  const enterprise = useEnterprise(id);
  const eligibility = useEligibility(id, asOf);
  const annual = useAnnualData(id);
  const qualifications = useQualifications({ enterpriseId: id, page: 1, pageSize: 100 });
  const [annualEdit, setAnnualEdit] = useState<AnnualData | null | 'new'>(null);
  const [qualificationOpen, setQualificationOpen] = useState(false);
  const advice = me.scope.kind === 'enterprise';
  const writable = can('cultivation.write');
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: CULTIVATION_KEY });
  };
  const shownAsOf = eligibility.data?.[0]?.asOf ?? asOf;

  return (
    <>
      <PageHeader
        title={`资格评估：${enterprise.data?.name ?? ''}`}
        description={advice ? '对照各项认定标准，本企业已满足的条件、差距与改进建议（平台初步筛查，正式认定以主管部门评审为准）' : '对照各项认定标准逐条评估；"需评审"的条件由专家认定，"默认满足"的合规条件仍需核实'}
        extra={
          <>
            <DatePicker
              placeholder="评估基准日"
              value={shownAsOf ? dayjs(shownAsOf) : null}
              onChange={(d) => {
                const next = new URLSearchParams(search);
                if (d) next.set('asOf', d.format('YYYY-MM-DD'));
                else next.delete('asOf');
                setSearch(next, { replace: true });
              }}
            />
            <Link to="/cultivation">
              <Button>返回培育梯队</Button>
            </Link>
          </>
        }
      />
      {eligibility.error ? <Alert type="error" showIcon title="评估失败" description={(eligibility.error as Error).message} /> : null}
      <Card loading={eligibility.isPending} style={{ marginBottom: 16 }}>
        <Collapse
          defaultActiveKey={(eligibility.data ?? []).filter((e) => e.outcome !== 'no_rule_set').slice(0, 1).map((e) => e.rule)}
          items={(eligibility.data ?? []).map((e) => ({
            key: e.rule,
            label: (
              <Flex gap={12} align="center" wrap>
                <Typography.Text strong>{e.ruleLabel}</Typography.Text>
                <OutcomeTag outcome={e.outcome} />
                {e.score !== null ? <Tag>得分 {e.score}{e.passScore ? ` / 需 ≥ ${e.passScore}` : ''}</Tag> : e.scoreRange ? <Tag>得分 {e.scoreRange.min}–{e.scoreRange.max}</Tag> : null}
                {e.gaps.length ? <Typography.Text type="secondary">{e.gaps.length} 项差距</Typography.Text> : null}
              </Flex>
            ),
            children: <EvaluationBody evaluation={e} advice={advice} />,
          }))}
        />
      </Card>

      <Card
        title="年度数据"
        style={{ marginBottom: 16 }}
        extra={writable ? <Button onClick={() => setAnnualEdit('new')}>填报年度数据</Button> : null}
      >
        {(annual.data?.items ?? []).length === 0 ? (
          <Empty description="尚无年度数据" />
        ) : (
          <Flex vertical gap={12}>
            {annual.data!.items.map((row) => (
              <Descriptions
                key={row.id}
                size="small"
                bordered
                column={{ xs: 1, md: 3 }}
                title={
                  <Space>
                    {row.year} 年<Typography.Text type="secondary">（{row.source === 'import' ? '导入' : row.source === 'demo' ? '演示' : '填报'}）</Typography.Text>
                    {writable ? (
                      <Button size="small" onClick={() => setAnnualEdit(row)}>
                        修改
                      </Button>
                    ) : null}
                  </Space>
                }
                items={ANNUAL_FIELDS.map((f) => {
                  if (f.kind === 'awards' || f.kind === 'standards') return { key: f.key, label: f.header, span: { xs: 1, md: 3 }, children: listText(row, f.kind) };
                  const v = row[f.key];
                  const text = v === null ? '—' : typeof v === 'boolean' ? (v ? '是' : '否') : f.kind === 'rdLevel' ? RD_INSTITUTION_LEVEL_LABELS[v as keyof typeof RD_INSTITUTION_LEVEL_LABELS] : `${String(v)}${f.unit && f.kind !== 'level' ? f.unit : ''}`;
                  return { key: f.key, label: f.header, children: text };
                })}
              />
            ))}
          </Flex>
        )}
      </Card>

      <Card title="资质记录" extra={writable ? <Button onClick={() => setQualificationOpen(true)}>登记资质</Button> : null}>
        <Table<Qualification>
          size="small"
          rowKey="id"
          loading={qualifications.isPending}
          pagination={false}
          dataSource={qualifications.data?.items ?? []}
          expandable={{ expandedRowRender: (q) => <EvidenceFiles qualificationId={q.id} writable={writable} /> }}
          columns={[
            { title: '资质', render: (_, q) => `${QUALIFICATION_KIND_LABELS[q.kind]}${q.recognition ? `（${RECOGNITION_LABELS[q.recognition]}）` : ''}` },
            { title: '级别', render: (_, q) => (q.level ? QUALIFICATION_LEVEL_LABELS[q.level] : '—') },
            { title: '编号', dataIndex: 'number' },
            { title: '认定日期', dataIndex: 'grantedOn' },
            { title: '有效期至', render: (_, q) => q.expiresOn ?? '—' },
            { title: '状态', render: (_, q) => <StatusTag status={q.status} /> },
          ]}
        />
      </Card>
      <AdverseRecordsCard enterpriseId={id} writable={writable} />

      <Drawer title={annualEdit === 'new' || annualEdit === null ? '填报年度数据' : `修改 ${annualEdit.year} 年数据`} size="large" open={annualEdit !== null} onClose={() => setAnnualEdit(null)} destroyOnHidden>
        {annualEdit !== null ? (
          <AnnualForm
            enterpriseId={id}
            initial={annualEdit === 'new' ? null : annualEdit}
            onDone={() => {
              setAnnualEdit(null);
              void refresh();
            }}
          />
        ) : null}
      </Drawer>
      <Modal title="登记资质" open={qualificationOpen} onCancel={() => setQualificationOpen(false)} footer={null} destroyOnHidden>
        <QualificationForm
          enterpriseId={id}
          onDone={() => {
            setQualificationOpen(false);
            void refresh();
          }}
        />
      </Modal>
    </>
  );
}
