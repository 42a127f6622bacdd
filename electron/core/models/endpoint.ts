// Which hub endpoints a token may travel to, and when a redirect must leave it behind: https anywhere, plain http only
// to this machine (tests, local mirrors), and the Authorization header only while scheme, host and port stay the same.
import { isIP } from 'node:net';
import { NormscopeError } from '../errors.js';

/** True for names and addresses that never leave this machine: localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^(0+:){7}0*1$/.test(h);
  return false;
}

/** The endpoint, checked: `https:`, or `http:` on a loopback host; anything else is BAD_USAGE naming HF_ENDPOINT. */
export function checkedEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new NormscopeError('BAD_USAGE', `HF_ENDPOINT ${JSON.stringify(endpoint)} is not a URL: give https://HOST (or http://127.0.0.1:PORT for a mirror on this machine)`, { endpoint });
  }
  if (url.protocol === 'https:') return endpoint;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return endpoint;
  const why = url.protocol === 'http:' ? `plain http to ${url.host} would send the token and the files unencrypted` : `${url.protocol} is not a web address`;
  throw new NormscopeError('BAD_USAGE', `HF_ENDPOINT ${JSON.stringify(endpoint)} refused: ${why}. Use https:// (http:// only for a mirror on this machine: localhost, 127.0.0.1, ::1)`, { endpoint });
}

/** Whether a request to `next` may carry the token a request to `from` carried: same scheme, host and port. */
export function keepsToken(from: string, next: string): boolean {
  return new URL(from).origin === new URL(next).origin;
}
