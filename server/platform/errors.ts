/**
 * The one error type. `code` is stable and maps to an HTTP status in one table; `message` is
 * Chinese and tells the user what to fix; `details` carries field- or row-level problems.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  BAD_FILE: 400,
  UNAUTHENTICATED: 401,
  PASSWORD_CHANGE_REQUIRED: 403,
  CSRF: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** A retried change that already committed (Idempotency-Key, ADR 0009): 已处理, nothing done again. */
  ALREADY_APPLIED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = '记录') => new AppError('NOT_FOUND', `${what}不存在或无权访问`);
export const forbidden = (message = '您没有执行此操作的权限') => new AppError('FORBIDDEN', message);
export const conflict = (message: string, details?: unknown) => new AppError('CONFLICT', message, details);
export const badRequest = (message: string, details?: unknown) => new AppError('BAD_REQUEST', message, details);
