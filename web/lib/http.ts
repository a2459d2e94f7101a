/**
 * The one HTTP client of the web app. Every server call goes through `http` (JSON) or
 * `downloadFile` (xlsx and other files), from a feature's `api.ts` only.
 *
 * - Cookies are same-origin; the CSRF token from login / GET /api/auth/me is kept in memory
 *   and sent as `X-CSRF-Token` on every non-GET request.
 * - Errors arrive as `{ error: { code, message, details } }` and become an `ApiError` whose
 *   Chinese `message` can be shown as is.
 * - 401 sends the user to the login page; PASSWORD_CHANGE_REQUIRED to the change-password page.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field-level problems (`details: [{ field, message }]`), for showing beside form inputs. */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldProblem =>
        typeof d === 'object' && d !== null && typeof (d as FieldProblem).field === 'string' && typeof (d as FieldProblem).message === 'string',
    );
  }
}

/** Where a 401 or a pending password change sends the user; the router installs its navigate. */
type Navigate = (path: string) => void;

let csrfToken: string | null = null;
let navigate: Navigate = (path) => {
  if (typeof window !== 'undefined') window.location.assign(path);
};
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function configureHttp(options: { navigate?: Navigate; onUnauthenticated?: () => void }): void {
  if (options.navigate) navigate = options.navigate;
  if (options.onUnauthenticated) onUnauthenticated = options.onUnauthenticated;
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

export interface RequestOptions {
  query?: QueryParams | undefined;
  body?: unknown;
  /** Off for the login request itself: a wrong password is a 401 the form shows, not a redirect. */
  redirectOnAuthError?: boolean;
  signal?: AbortSignal | undefined;
}

/** Builds `/api/x?a=1` leaving out empty values, so an empty filter means "no filter". */
export function buildUrl(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (options.redirectOnAuthError !== false) redirectFor(error);
    throw error;
  }
  return response;
}

/** Reads the platform's error body; anything else (a proxy's HTML page) becomes a generic error. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, `HTTP_${response.status}`, fallbackMessage(response.status));
}

function fallbackMessage(status: number): string {
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '您没有执行此操作的权限';
  if (status === 404) return '请求的内容不存在';
  if (status === 413) return '提交的内容过大';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return '服务器出现错误，请稍后重试或联系管理员';
  return `请求失败（${status}）`;
}

function redirectFor(error: ApiError): void {
  if (typeof window === 'undefined') return;
  const here = window.location.pathname;
  if (error.status === 401) {
    csrfToken = null;
    onUnauthenticated();
    if (here !== '/login') {
      const next = `${here}${window.location.search}`;
      navigate(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
    }
  } else if (error.code === 'PASSWORD_CHANGE_REQUIRED' && here !== '/change-password') {
    navigate('/change-password');
  }
}

async function json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  // The server validates every response against the common contracts; the type follows them.
  return (await response.json()) as T;
}

export const http = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => json<T>('GET', path, { query, signal }),
  post: <T>(path: string, body: unknown = {}, options: Omit<RequestOptions, 'body'> = {}) => json<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body: unknown) => json<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, { body }),
  delete: <T>(path: string) => json<T>('DELETE', path),
};

/**
 * The file name a download should get: RFC 5987 `filename*=UTF-8''…` (how the server sends
 * Chinese names) wins over the plain `filename="…"`.
 */
export function filenameFromContentDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain?.[2] ?? plain?.[1]?.trim();
  return name || fallback;
}

/** Fetches a file endpoint (xlsx exports) and saves it under the name the server gave it. */
export async function downloadFile(path: string, query?: QueryParams, fallbackName = '下载文件'): Promise<void> {
  const response = await send('GET', path, { query }, '*/*');
  const name = filenameFromContentDisposition(response.headers.get('Content-Disposition'), fallbackName);
  saveBlob(await response.blob(), name);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click returns; revoke a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How far an upload has got: bytes sent of the total (the server's work after that is not measured). */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  query?: QueryParams | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Extra request headers (an import's progress token). */
  headers?: Record<string, string> | undefined;
}

/**
 * Sends one file as multipart/form-data (imports), with the CSRF header and the same error
 * handling as `http`. XMLHttpRequest rather than fetch: only it reports upload progress.
 * `as: 'json'` answers the parsed body; `as: 'download'` saves the returned file under the
 * server's name (an annotated workbook) and answers the response headers.
 */
export function upload<T>(path: string, file: File, options: UploadOptions & { as?: 'json' }): Promise<T>;
export function upload(path: string, file: File, options: UploadOptions & { as: 'download'; fallbackName?: string }): Promise<Headers>;
export function upload<T>(path: string, file: File, options: UploadOptions & { as?: 'json' | 'download'; fallbackName?: string } = {}): Promise<T | Headers> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, options.query));
    xhr.responseType = 'blob';
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', options.as === 'download' ? '*/*' : 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    const abort = () => xhr.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试'));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    xhr.onload = () => {
      options.signal?.removeEventListener('abort', abort);
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const response = new Response(xhr.response as Blob, { status: xhr.status, headers });
      if (!response.ok) {
        void toApiError(response).then((error) => {
          redirectFor(error);
          reject(error);
        });
        return;
      }
      if (options.as === 'download') {
        void response.blob().then((blob) => {
          saveBlob(blob, filenameFromContentDisposition(headers.get('Content-Disposition'), options.fallbackName ?? file.name));
          resolve(headers);
        }, reject);
        return;
      }
      response.json().then((body: T) => resolve(body), () => reject(new ApiError(xhr.status, 'BAD_RESPONSE', '服务器返回的内容无法识别，请稍后重试')));
    };
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}
