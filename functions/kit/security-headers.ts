/**
 * Headers every response carries. Pages get a Content-Security-Policy with no inline script or
 * style at all (scripts and styles come from /assets), and may be framed only by the origins a
 * project lists for its widget; every other page refuses to be framed.
 */

/** `frameAncestors`: null for a non-HTML answer (no CSP needed), else the origins that may frame the page. */
export function securityHeaders(frameAncestors: readonly string[] | null): Record<string, string> {
  const base = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  if (frameAncestors === null) return base;
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Merchant logos are https URLs; QR codes and icons come from this host.
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
  return { ...base, 'content-security-policy': csp, ...(frameAncestors.length === 0 ? { 'x-frame-options': 'DENY' } : {}) };
}
