import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Permission } from '#common/permissions.ts';
import type { Principal } from '#server/platform/scope.ts';
import type { DataVersions } from '#server/platform/data-version.ts';
import { AppError } from '#server/platform/errors.ts';
import type { ErrorCode } from '#server/platform/errors.ts';

/** The Fastify instance every module registers its routes on: zod schemas in and out. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/**
 * What a route requires of its caller. Every `/api` route must declare one; `app.ts` refuses
 * to start otherwise, and a test enumerates the route table to prove it.
 * - `public`: no session needed (login, health).
 * - `authenticated`: any signed-in user, including one who must still change the password.
 * - a permission: a signed-in user whose roles grant it.
 */
export type RouteAccess = Permission | 'public' | 'authenticated';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The data versions at the start of the request, read with its session or token. */
    dataVersions: DataVersions | null;
  }
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

function send(reply: FastifyReply, status: number, code: ErrorCode | string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/**
 * One error handler: AppError keeps its code; framework errors a user can cause (bad JSON,
 * wrong types, too large, wrong content type) become 4xx with a Chinese message; anything
 * else is logged with the request id and answered without details.
 */
export function registerErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return send(reply, error.status, error.code, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || (error.validationContext ?? ''),
        message: v.message ?? '格式不正确',
      }));
      const where = error.validationContext === 'querystring' ? '查询参数' : error.validationContext === 'params' ? '路径参数' : '提交的数据';
      return send(reply, 400, 'VALIDATION', `${where}有误，请按提示修改后重试`, details);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response does not match its schema');
      return send(reply, 500, 'INTERNAL', `服务器内部错误，请稍后重试（请求编号 ${request.id}）`);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    const known = FRAMEWORK_ERRORS[error.code ?? ''];
    if (known) return send(reply, known.status, known.code, known.message);
    if (status === 429) return send(reply, 429, 'RATE_LIMITED', '操作过于频繁，请稍后再试');
    if (status >= 400 && status < 500) return send(reply, status, 'BAD_REQUEST', '请求无法处理，请检查后重试');
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, 'INTERNAL', `服务器内部错误，请稍后重试（请求编号 ${request.id}）`);
  });

}

// NUL (PostgreSQL cannot store it) and lone UTF-16 surrogates (not characters; not encodable as
// UTF-8) are refused for every route in one place, whatever its contract says (issue 6 §2).
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string in a parsed body, query or params that cannot be stored, or null. */
function unstorablePath(root: unknown): string | null {
  if (root === null || root === undefined) return null;
  // Iterative: a deeply nested body must not overflow the stack. A member's path is spelled out
  // only when it is needed (an object's, for its members; a bad one's, for the message): this
  // runs on every request.
  const stack: [value: unknown, parent: string, key: string | null][] = [[root, '', null]];
  const pathOf = (parent: string, key: string | null) => (key === null ? parent : parent ? `${parent}.${key}` : key);
  while (stack.length > 0) {
    const [value, parent, key] = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return pathOf(parent, key);
    } else if (value && typeof value === 'object') {
      const path = pathOf(parent, key);
      for (const member of Object.keys(value)) {
        if (UNSTORABLE.test(member)) return path;
        stack.push([(value as Record<string, unknown>)[member], path, member]);
      }
    }
  }
  return null;
}

/** Refuses, before validation, any input holding NUL or a lone surrogate: 400 with the field named. */
export function registerInputGuard(app: App): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const part of [request.params, request.query, request.body]) {
      const path = unstorablePath(part);
      if (path === null) continue;
      done(new AppError('VALIDATION', '提交的数据有误：含有无法保存的字符（空字符或不完整的 Unicode 编码），请删除后重试', [{ field: path, message: '含有空字符或不完整的 Unicode 编码' }]));
      return;
    }
    done();
  });
}

/** 404 for an unknown API path (the web app's client-side routes fall back to index.html instead). */
export function replyRouteNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, 'NOT_FOUND', `接口不存在：${request.method} ${request.url.split('?')[0]}`);
}

const FRAMEWORK_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: '提交的内容不是有效的 JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: '提交的内容为空' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '提交的内容过大' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', message: '请求长度与内容不符' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '上传文件请使用 multipart/form-data' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传文件过大（上限 20 MB）' },
  FST_FILES_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '一次只能上传一个文件' },
  FST_PARTS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传的表单字段过多' },
  FST_FIELDS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传的表单字段过多' },
  FST_PROTO_VIOLATION: { status: 400, code: 'BAD_REQUEST', message: '上传内容格式不正确' },
  FST_ERR_VALIDATION: { status: 400, code: 'VALIDATION', message: '提交的数据有误' },
};

/**
 * Whether an Accept-Encoding header lets the answer go gzip-compressed (RFC 9110 §12.5.3):
 * `gzip` or `*` listed without q=0. Browsers and Node's fetch send `gzip, deflate, br`.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

