

// Row types of the tables, as both dialects return them: text ids and instants, 0/1 flags.
// Each module adds its tables here when its migration lands.

export type UnitsTable = {
  id: string;
  code: string;
  name: string;
  short_name: string | null;
  kind: string;
  parent_id: string | null;
  aliases: string;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
};

export type UsersTable = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  password_changed_at: string | null;
  enterprise_id: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
};

export type UserUnitsTable = { user_id: string; unit_id: string; is_primary: number };
export type UserRolesTable = { user_id: string; role: string };
export type RolePermissionsTable = { role: string; permission: string };

export type SessionsTable = {
  id: string;
  user_id: string;
  active_unit_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  absolute_expires_at: string;
  ip: string | null;
  user_agent: string | null;
  ended_at: string | null;
  end_reason: string | null;
};

export type ApiTokensTable = {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

export type LoginLogTable = {
  id: string;
  at: string;
  username: string;
  user_id: string | null;
  success: number;
  reason: string;
  ip: string | null;
  user_agent: string | null;
};

export type AuditLogTable = {
  seq: number;
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  active_unit_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  request_id: string | null;
  prev_mac: string;
  mac: string;
};

/** A client's Idempotency-Key, recorded with the change it carried (ADR 0009). */
export type IdempotencyKeysTable = {
  user_id: string;
  key: string;
  request: string;
  request_id: string;
  audit_seq: number;
  action: string;
  entity_type: string;
  entity_id: string | null;
  created_at: string;
};

export type AuditHeadTable = { id: number; seq: number; mac: string; updated_at: string };
export type SettingsTable = { key: string; value: string; updated_at: string };

/** A counter per body of data held in memory by processes (ADR 0008). BIGINT: string on PostgreSQL. */
export type DataVersionsTable = { name: string; version: string | number };

export type EnterpriseGroupsTable = { id: string; name: string; created_at: string; updated_at: string };

export type IndustryChainsTable = {
  id: string;
  code: string;
  name: string;
  kind: string;
  aliases: string;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
};

export type EnterprisesTable = {
  id: string;
  uscc: string;
  name: string;
  town_id: string;
  industry_code: string;
  industry_division: string | null;
  industry_group: string | null;
  group_id: string | null;
  registration_date: string | null;
  address: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  above_scale: number;
  uscc_warnings: string;
  industry_warnings: string;
  created_at: string;
  updated_at: string;
};

export type EnterpriseChainsTable = { enterprise_id: string; chain_id: string };

export type EnterpriseScaleHistoryTable = {
  id: string;
  enterprise_id: string;
  from_period: string;
  from_reason: string;
  to_period: string | null;
  to_reason: string | null;
  created_at: string;
  updated_at: string;
};

export type EnterpriseTagsTable = { enterprise_id: string; tag: string };

// Monitoring (migration 0003). Values are thousandths of the indicator's unit (ADR 0001); BIGINT
// arrives as a string on PostgreSQL and a number on SQLite, read through BigInt(String(v)).
export type MonitoringReportsTable = {
  enterprise_id: string;
  period: string;
  source: string;
  batch_id: string | null;
  updated_at: string;
  updated_by: string | null;
};

export type MonitoringValuesTable = {
  enterprise_id: string;
  period: string;
  indicator: string;
  current_value: string | number | bigint;
  previous_value: string | number | bigint | null;
};

export type MonitoringProductsTable = {
  enterprise_id: string;
  period: string;
  product_name: string;
  unit: string;
  current_value: string | number | bigint;
  previous_value: string | number | bigint | null;
};

export type MonitoringImportsTable = {
  id: string;
  created_at: string;
  actor_id: string | null;
  actor_name: string;
  source: string;
  file_name: string | null;
  summary_json: string;
};

export type MonitoringReportedValuesTable = {
  id: string;
  code: string;
  period: string;
  value: string | number | bigint;
  source: string;
  note: string | null;
  entered_at: string;
  entered_by: string;
};

export type MonitoringWarningsTable = {
  id: string;
  period: string;
  rule: string;
  subject_kind: string;
  subject_id: string;
  indicator: string;
  enterprise_id: string | null;
  town_id: string | null;
  level: string;
  reason: string;
  figures_json: string;
  status: string;
  note: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  status_changed_at: string | null;
  status_changed_by: string | null;
};

// Plans and targets (migration 0005): ids text, dates 'YYYY-MM-DD', periods 'YYYY-MM', instants
// UTC ISO, target values exact decimal strings in the target's unit.
export type PlansTable = {
  id: string;
  year: number;
  title: string;
  notice_title: string | null;
  issuer: string | null;
  issue_date: string | null;
  overview: string;
  source_text: string;
  source_file_name: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
};

export type PlanItemsTable = {
  id: string;
  plan_id: string;
  parent_id: string | null;
  kind: string;
  number: number;
  label: string;
  title: string;
  text: string;
  sort_order: number;
  owner_section_id: string | null;
  responsible_person: string | null;
  status: string;
  progress: number;
  weight: string;
  rollup: string;
  created_at: string;
  updated_at: string;
};

export type PlanItemUnitsTable = { item_id: string; unit_id: string; role: string };
export type PlanItemLinksTable = { item_id: string; kind: string; ref_id: string; label: string };

export type PlanMilestonesTable = {
  id: string;
  item_id: string;
  title: string;
  due_date: string;
  done_date: string | null;
  created_at: string;
  updated_at: string;
};

export type PlanReportsTable = {
  id: string;
  item_id: string;
  unit_id: string;
  period: string;
  progress: number;
  text: string;
  figures_json: string;
  status: string;
  review_note: string | null;
  submitted_by: string;
  submitted_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
};

export type PlanReportFilesTable = {
  id: string;
  report_id: string;
  file_name: string;
  mime: string;
  size: number;
  content_base64: string;
  created_at: string;
};

export type PlanNotesTable = {
  id: string;
  item_id: string;
  kind: string;
  text: string;
  unit_id: string | null;
  period: string | null;
  due_date: string | null;
  created_by: string;
  created_at: string;
};

export type TargetsTable = {
  id: string;
  year: number;
  plan_id: string | null;
  plan_item_id: string | null;
  item_label: string | null;
  origin: string;
  subject: string;
  text: string;
  comparator: string;
  value: string | null;
  unit: string | null;
  kind: string;
  stock: number;
  tolerance: string;
  base: string | null;
  related_key: string | null;
  owner_unit_id: string | null;
  binding_kind: string;
  binding_source_id: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string;
};

export type TargetValuesTable = {
  id: string;
  target_id: string;
  town_id: string | null;
  period: string;
  value: string;
  evidence: string;
  entered_by: string;
  entered_at: string;
};

export type TargetQuotasTable = {
  id: string;
  target_id: string;
  town_id: string;
  value: string;
  base: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
};

export type RankingsTable = {
  id: string;
  year: number;
  name: string;
  method: string;
  cap_pct: number | null;
  indicators_json: string;
  created_at: string;
  updated_at: string;
};

export type BulletinsTable = {
  id: string;
  ranking_id: string;
  period: string;
  version: number;
  number: string;
  title: string;
  issue_date: string;
  snapshot_json: string;
  generated_at: string;
  generated_by: string;
};

/** Cultivation (migration 0009): evidence of a recognition, bytes in the database. */
export type QualificationFilesTable = {
  id: string;
  qualification_id: string;
  file_name: string;
  file_type: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_by: string | null;
  created_at: string;
};

/** Cultivation (migration 0009): a platform record contradicting a compliance condition. */
export type AdverseRecordsTable = {
  id: string;
  enterprise_id: string;
  kind: string;
  occurred_on: string;
  description: string;
  source: string;
  created_by: string | null;
  created_at: string;
};

/** Cultivation (migration 0004): the qualifications register. Dates are Beijing 'YYYY-MM-DD'. */
export type QualificationsTable = {
  id: string;
  enterprise_id: string;
  kind: string;
  level: string | null;
  recognition: string | null;
  number: string | null;
  granted_on: string;
  expires_on: string | null;
  revoked_on: string | null;
  revoke_reason: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
};

/** A money column: thousandths of 元 (bigint; a string on PostgreSQL). */
type Thousandths = string | number | bigint | null;

/** Cultivation (migration 0004): one enterprise's annual figures; every figure nullable (unknown). */
export type EnterpriseAnnualDataTable = {
  id: string;
  enterprise_id: string;
  year: number;
  staff_total: number | null;
  tech_staff: number | null;
  rd_staff: number | null;
  operating_revenue: Thousandths;
  main_business_revenue: Thousandths;
  total_revenue: Thousandths;
  total_costs_expenses: Thousandths;
  high_tech_revenue: Thousandths;
  rd_expense: Thousandths;
  domestic_rd_expense: Thousandths;
  total_assets: Thousandths;
  total_liabilities: Thousandths;
  net_assets: Thousandths;
  net_profit: Thousandths;
  ip1_count: number | null;
  ip1_high_value_count: number | null;
  ip1_own_count: number | null;
  ip2_count: number | null;
  rd_institution_level: string | null;
  niche_years: number | null;
  /** Thousandths of a percentage point. */
  niche_market_share: Thousandths;
  equity_financing: Thousandths;
  digital_level: number | null;
  quality_certified: number | null;
  own_brand: number | null;
  strategic_emerging: number | null;
  /** JSON arrays; null = unknown. */
  awards: string | null;
  standards: string | null;
  source: string;
  created_at: string;
  updated_at: string;
};

export type Database = {
  units: UnitsTable;
  users: UsersTable;
  user_units: UserUnitsTable;
  user_roles: UserRolesTable;
  role_permissions: RolePermissionsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_log: LoginLogTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  idempotency_keys: IdempotencyKeysTable;
  settings: SettingsTable;
  data_versions: DataVersionsTable;
  enterprise_groups: EnterpriseGroupsTable;
  industry_chains: IndustryChainsTable;
  enterprises: EnterprisesTable;
  enterprise_chains: EnterpriseChainsTable;
  enterprise_scale_history: EnterpriseScaleHistoryTable;
  enterprise_tags: EnterpriseTagsTable;
  monitoring_reports: MonitoringReportsTable;
  monitoring_values: MonitoringValuesTable;
  monitoring_products: MonitoringProductsTable;
  monitoring_imports: MonitoringImportsTable;
  monitoring_reported_values: MonitoringReportedValuesTable;
  monitoring_warnings: MonitoringWarningsTable;
  plans: PlansTable;
  plan_items: PlanItemsTable;
  plan_item_units: PlanItemUnitsTable;
  plan_item_links: PlanItemLinksTable;
  plan_milestones: PlanMilestonesTable;
  plan_reports: PlanReportsTable;
  plan_report_files: PlanReportFilesTable;
  plan_notes: PlanNotesTable;
  targets: TargetsTable;
  target_values: TargetValuesTable;
  target_quotas: TargetQuotasTable;
  rankings: RankingsTable;
  bulletins: BulletinsTable;
  qualifications: QualificationsTable;
  enterprise_annual_data: EnterpriseAnnualDataTable;
  qualification_files: QualificationFilesTable;
  adverse_records: AdverseRecordsTable;
};
