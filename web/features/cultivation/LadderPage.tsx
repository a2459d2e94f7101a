import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, DatePicker, Flex, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { LADDER_RUNG_LABELS, OUTCOME_LABELS, POOL_RUNGS, QUALIFICATION_KIND_LABELS } from '#common/contracts/cultivation.ts';
import type { Ladder, LadderRung, Outcome, PoolRung } from '#common/contracts/cultivation.ts';
import { ExportButton } from '#web/components/ExportButton.tsx';
import { PageHeader } from '#web/components/PageHeader.tsx';
import { useCan } from '#web/features/auth/session.tsx';
import { useTownOptions } from '#web/features/enterprises/options.ts';
import { useTargets } from '#web/features/targets/api.ts';
import type { Target } from '#web/features/targets/api.ts';
import { exportPool, exportPoolList, useExpiring, useLadder, usePool } from '#web/features/cultivation/api.ts';
import type { Candidate } from '#web/features/cultivation/api.ts';
import { OutcomeTag, StatusTag } from '#web/features/cultivation/labels.tsx';

/** Which rung a target measures, from the metric source it is bound to (cultivation.<kind>_…). */
function rungOfSource(sourceId: string | null): LadderRung | null {
  if (!sourceId?.startsWith('cultivation.')) return null;
  const what = sourceId.slice('cultivation.'.length);
  const rung = (['tech_sme', 'high_tech', 'innovative_sme', 'specialized_sme', 'little_giant', 'champion'] as const).find((r) => what.startsWith(r));
  return rung ?? null;
}

type RungRow = Ladder['rungs'][number] & { targets: Target[] };

function TargetCell({ targets }: { targets: Target[] }) {
  if (targets.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      {targets.map((t) => (
        <Tooltip key={t.id} title={t.text}>
          <Link to={`/targets/${t.id}`}>
            {t.subject}：{t.evaluation.actual ?? '—'} / {t.value ?? '—'}
            {t.unit ?? ''}
          </Link>
        </Tooltip>
      ))}
    </Flex>
  );
}

function PoolTable({ rung, asOf, town }: { rung: PoolRung; asOf: string | undefined; town: string | undefined }) {
  const [page, setPage] = useState(1);
  const [outcome, setOutcome] = useState<Outcome | 'all'>('all');
  const pool = usePool(rung, { asOf, town, outcome: outcome === 'all' ? undefined : outcome, page, pageSize: 20 });
  const columns: TableColumnsType<Candidate> = [
    { title: '排名', dataIndex: 'rank', width: 64 },
    {
      title: '企业',
      render: (_, c) => (
        <Flex vertical gap={2}>
          <Link to={`/cultivation/enterprises/${c.enterprise.id}${asOf ? `?asOf=${asOf}` : ''}`}>{c.enterprise.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.enterprise.town.name}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: '结论', width: 100, render: (_, c) => <OutcomeTag outcome={c.outcome} /> },
    { title: '得分', width: 70, render: (_, c) => c.score ?? '—' },
    {
      title: '差距',
      render: (_, c) =>
        c.gaps.length === 0 ? (
          <Typography.Text type="secondary">{c.outcome === 'insufficient_data' ? `缺 ${c.missing} 项数据` : c.outcome === 'needs_review' ? '可计算条件均满足，待评审' : '—'}</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {c.gaps.slice(0, 2).map((g, i) => (
              <Typography.Text key={i} style={{ fontSize: 13 }}>
                {g.message}
              </Typography.Text>
            ))}
            {c.gaps.length > 2 ? <Typography.Text type="secondary">另有 {c.gaps.length - 2} 项</Typography.Text> : null}
          </Flex>
        ),
    },
  ];
  return (
    <>
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <Segmented<Outcome | 'all'>
          value={outcome}
          onChange={(v) => {
            setOutcome(v);
            setPage(1);
          }}
          options={[{ value: 'all', label: '全部' }, ...(['eligible', 'needs_review', 'insufficient_data', 'not_eligible'] as const).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))]}
        />
        <Space>
          <ExportButton label="导出培育库" onExport={() => exportPool(rung, { asOf, town })} />
          <ExportButton label="培育对象清单（Word）" onExport={() => exportPoolList(rung, { asOf, town })} />
        </Space>
      </Flex>
      {pool.data ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          依据：{pool.data.ruleSet ? `${pool.data.ruleSet.title}（${pool.data.ruleSet.documents.map((d) => d.number ?? d.title).join('、')}）` : '评估基准日无现行有效标准'} · 数据年度 {pool.data.dataYear} 年 · 按接近程度排序
        </Typography.Paragraph>
      ) : null}
      <Table<Candidate>
        rowKey={(c) => c.enterprise.id}
        size="small"
        loading={pool.isPending}
        columns={columns}
        dataSource={pool.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: pool.data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 家候选` }}
      />
    </>
  );
}

/**
 * 培育梯队: members of each rung now and on 1 January, the year's flows, the plan's targets for
 * the rung (from the targets API), the candidate pools ranked by closeness with their gaps, and
 * qualifications about to expire.
 */
/** 工业总产值 本年1–N月累计 of the monitoring period the bands were counted on ('2022-02' is 1–2月). */
function outputPeriodText(period: string | null): string {
  if (!period) return '（无月报）';
  const month = Number(period.slice(5, 7));
  return `（${period.slice(0, 4)}年1–${month}月累计）`;
}

export function LadderPage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const asOf = search.get('asOf') ?? undefined;
  const town = search.get('town') ?? undefined;
  const [tab, setTab] = useState<PoolRung>((search.get('pool') as PoolRung | null) ?? 'high_tech');
  const towns = useTownOptions();
  const ladder = useLadder(asOf, town);
  const shownAsOf = ladder.data?.asOf ?? asOf;
  const year = ladder.data?.year;
  const targets = useTargets({ year });
  const expiring = useExpiring(shownAsOf);

  const rows: RungRow[] = useMemo(() => {
    const all = can('targets.read') ? (targets.data?.items ?? []) : [];
    return (ladder.data?.rungs ?? []).map((r) => ({ ...r, targets: all.filter((t) => rungOfSource(t.binding.sourceId) === r.rung) }));
  }, [ladder.data, targets.data, can]);

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };

  const columns: TableColumnsType<RungRow> = [
    { title: '梯级', dataIndex: 'label', render: (label: string, r) => <Typography.Text strong={r.rung !== 'above_scale'}>{label}</Typography.Text> },
    { title: '现有', dataIndex: 'count', width: 70 },
    { title: '年初', dataIndex: 'countAtStartOfYear', width: 70 },
    {
      title: '当年新增',
      width: 150,
      render: (_, r) => (
        <span>
          {r.flows.added}
          {r.flows.firstTime !== null ? (
            <Typography.Text type="secondary">
              （首次 {r.flows.firstTime} · 重新 {r.flows.renewed}）
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    { title: '到期 / 退库', width: 90, render: (_, r) => r.flows.expired },
    { title: '撤销', width: 60, render: (_, r) => r.flows.revoked },
    {
      title: '候选（符合条件）',
      width: 130,
      render: (_, r) =>
        r.rung === 'champion' ? (
          <Typography.Text type="secondary">无核实标准</Typography.Text>
        ) : (
          <Button
            type="link"
            size="small"
            onClick={() => {
              setTab(r.rung as PoolRung);
              document.getElementById('cultivation-pools')?.scrollIntoView({ behavior: 'smooth' });
            }}
          >
            {r.candidates}（{r.eligibleCandidates}）
          </Button>
        ),
    },
    { title: '计划目标（实际 / 目标）', render: (_, r) => <TargetCell targets={r.targets} /> },
  ];

  return (
    <>
      <PageHeader
        title="培育梯队"
        description="科技型中小企业 → 高新技术企业 → 创新型中小企业 → 专精特新 → 专精特新“小巨人” → 单项冠军：各梯级现状、候选企业及其差距"
        extra={
          <>
            <DatePicker
              allowClear
              placeholder="评估基准日"
              value={shownAsOf ? dayjs(shownAsOf) : null}
              onChange={(d) => set('asOf', d ? d.format('YYYY-MM-DD') : undefined)}
            />
            <Select allowClear placeholder="全部镇街" style={{ width: 160 }} options={towns.options} value={town} onChange={(v?: string) => set('town', v)} loading={towns.loading} />
            <Link to="/cultivation/qualifications">
              <Button>资质登记</Button>
            </Link>
            {can('cultivation.write') ? (
              <Link to="/cultivation/import">
                <Button icon={<UploadOutlined />}>导入年度数据 / 资质</Button>
              </Link>
            ) : null}
          </>
        }
      />
      {ladder.error ? <Alert type="error" showIcon title="梯队数据加载失败" description={(ladder.error as Error).message} style={{ marginBottom: 16 }} /> : null}
      <Card title={`梯级（评估基准日 ${shownAsOf ?? '—'}${town ? ' · 所选镇街' : ' · 全区'}）`} style={{ marginBottom: 16 }}>
        <Table<RungRow> rowKey="rung" size="small" pagination={false} loading={ladder.isPending} columns={columns} dataSource={rows} />
        {ladder.data ? (
          <Row gutter={16} style={{ marginTop: 16 }}>
            {ladder.data.registers.map((r) => (
              <Col key={r.kind} xs={12} md={4}>
                <Statistic title={QUALIFICATION_KIND_LABELS[r.kind]} value={r.count} suffix="家" />
              </Col>
            ))}
            <Col xs={12} md={4}>
              <Statistic title={`产值亿元以上${outputPeriodText(ladder.data.outputBands.period)}`} value={ladder.data.outputBands.over100m ?? '—'} suffix={ladder.data.outputBands.over100m === null ? undefined : '家'} />
            </Col>
            <Col xs={12} md={4}>
              <Statistic title={`产值十亿元以上${outputPeriodText(ladder.data.outputBands.period)}`} value={ladder.data.outputBands.over1b ?? '—'} suffix={ladder.data.outputBands.over1b === null ? undefined : '家'} />
            </Col>
          </Row>
        ) : null}
      </Card>

      <Card id="cultivation-pools" title="培育库" style={{ marginBottom: 16 }} extra={<FileWordOutlined />}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as PoolRung)}
          items={POOL_RUNGS.map((rung) => ({ key: rung, label: LADDER_RUNG_LABELS[rung], children: <PoolTable rung={rung} asOf={shownAsOf} town={town} /> }))}
        />
      </Card>

      <Card title="到期提醒（90 天内）">
        <Table
          size="small"
          rowKey={(r) => r.qualification.id}
          loading={expiring.isPending}
          dataSource={expiring.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: '企业', render: (_, r) => <Link to={`/cultivation/enterprises/${r.qualification.enterprise.id}`}>{r.qualification.enterprise.name}</Link> },
            { title: '资质', render: (_, r) => QUALIFICATION_KIND_LABELS[r.qualification.kind] },
            { title: '有效期至', render: (_, r) => r.qualification.expiresOn },
            { title: '剩余', render: (_, r) => <Tag color={r.threshold === 30 ? 'red' : 'orange'}>{r.qualification.daysToExpiry} 天</Tag> },
            { title: '状态', render: (_, r) => <StatusTag status={r.qualification.status} /> },
          ]}
        />
      </Card>
    </>
  );
}
