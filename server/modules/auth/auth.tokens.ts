import { createHash, randomBytes } from 'node:crypto';

/** Session cookie, CSRF and API tokens: random secrets whose SHA-256 alone is stored. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export const SESSION_COOKIE = 'kejing_session';
/** API tokens carry a recognisable prefix so a leaked one can be found by secret scanners. */
export const API_TOKEN_PREFIX = 'kjt_';
