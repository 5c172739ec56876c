/** The web host's gatekeeping: launch token, constant-time comparison, allowed Host/Origin, CSP. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { contentSecurityPolicy } from '../shared';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time (hashing first makes the lengths equal, so length leaks nothing either). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 512) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** Host headers we answer to: the loopback address we bound (defeats DNS rebinding). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A WebSocket's Origin must be our own page (or absent, for non-browser clients that hold the token). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** The renderer's one policy (shared/csp.ts), allowed to open this host's WebSocket. */
export function pagePolicy(port: number): string {
  return contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

/** Headers on every response. The token rides in the page URL, so no Referer may leak it. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': pagePolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export const TOKEN_COOKIE = 'ng_token';

export function cookieToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}
