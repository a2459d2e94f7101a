import { hash, randomBytes } from 'node:crypto';

/** Session cookie, CSRF and API tokens: random secrets whose SHA-256 alone is stored. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

// crypto.hash (one-shot, Node ≥ 20.12): hashed on every request, it costs half a Hash object.
export function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

export const SESSION_COOKIE = 'kejing_session';
/** API tokens carry a recognisable prefix so a leaked one can be found by secret scanners. */
export const API_TOKEN_PREFIX = 'kjt_';
