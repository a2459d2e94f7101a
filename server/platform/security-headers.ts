import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { HelmetOptions } from 'helmet';
import type { App } from '#server/platform/http.ts';

/**
 * The security headers helmet would set (CSP, nosniff, frame and referrer policies…), worked out
 * once: our policy has no per-request nonce, so the headers are the same on every answer.
 * (@fastify/helmet builds a helmet middleware, CSP parsing included, on every request — a tenth
 * of a cached API answer's cost.)
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let applied = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => (applied = true));
  if (!applied) throw new Error('helmet did not apply its headers synchronously');
  return headers;
}

/** Sets the headers on every answer, errors and static files included, as soon as a request arrives. */
export function registerSecurityHeaders(app: App, options: HelmetOptions): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
