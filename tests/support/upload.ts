import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '#server/db/client.ts';
import { toNumber } from '#server/db/client.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';

/** A multipart/form-data body with one file, as a browser sends it. */
export function multipart(fileName: string, content: Buffer, field = 'file'): { payload: Buffer; contentType: string } {
  const boundary = `----kejing${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { payload: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a file as the signed-in client (cookie and CSRF token). */
export function upload(env: TestEnv, client: Client, url: string, fileName: string, content: Buffer): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipart(fileName, content);
  return env.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': contentType, ...(client.cookie ? { cookie: client.cookie } : {}), ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}) },
    payload,
  });
}

export const FIXTURES = path.resolve('tests/fixtures/enterprises');

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** Row counts of every registry table and the audit log: "nothing written" is these unchanged. */
const REGISTRY_TABLES = ['enterprises', 'enterprise_chains', 'enterprise_tags', 'enterprise_scale_history', 'enterprise_groups', 'audit_log'] as const;

export async function registryCounts(db: Db): Promise<Record<(typeof REGISTRY_TABLES)[number], number>> {
  const out = Object.fromEntries(REGISTRY_TABLES.map((t) => [t, 0])) as Record<(typeof REGISTRY_TABLES)[number], number>;
  for (const table of REGISTRY_TABLES) {
    out[table] = toNumber((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n as string | number);
  }
  return out;
}
