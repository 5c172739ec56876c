/**
 * The one Content-Security-Policy of the renderer, wherever it is served: the Electron window, the web
 * host's headers and the <meta> in the built index.html. Only `connect-src` differs: the WebSocket the
 * page may open (the web host's own port, or any loopback port where the port is not known yet).
 */
export function contentSecurityPolicy(connect: readonly string[] = [], where: 'header' | 'meta' = 'header'): string {
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    // xyflow and chart.js set inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connect].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  // frame-ancestors is honoured only as a header; in a <meta> browsers ignore it with a console warning.
  return (where === 'meta' ? directives.filter((d) => !d.startsWith('frame-ancestors')) : directives).join('; ');
}

/** The policy of the built page itself: it may talk to a web host on any loopback port. */
export const PAGE_CSP = contentSecurityPolicy(['ws://127.0.0.1:*', 'ws://localhost:*'], 'meta');
