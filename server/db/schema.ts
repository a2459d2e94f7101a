

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

export type AuditHeadTable = { id: number; seq: number; mac: string; updated_at: string };
export type SettingsTable = { key: string; value: string; updated_at: string };

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
  settings: SettingsTable;
};
