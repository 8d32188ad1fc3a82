// Runs before every page and API request: security headers (a per-request CSP nonce, no framing,
// no sniffing, strict referrer, no caching of API answers, HSTS over https) and the sign-in gate — pages redirect to /signin, API routes
// answer 401 JSON. Route handlers check roles themselves (lib/server/with-auth.ts).
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

import { authSecret } from "./lib/auth/secret";
import { loadConfig } from "./lib/config/load";
import type { KeywardConfigData } from "./lib/config/schema";

let keywardConfig: KeywardConfigData | undefined;

const PUBLIC = [/^\/signin$/, /^\/api\/auth\//];

function securityHeaders(res: NextResponse, csp: string, request: NextRequest): NextResponse {
  res.headers.set("Content-Security-Policy", csp);
  // API answers hold posture and audit data: never kept by a browser or a proxy.
  if (request.nextUrl.pathname.startsWith("/api/")) res.headers.set("Cache-Control", "no-store");
  // Over https, browsers are told to keep to https for a year.
  if (request.nextUrl.protocol === "https:") res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.headers.set("X-Frame-Options", "DENY");
  res.headers.set("X-Content-Type-Options", "nosniff");
  res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  res.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  return res;
}

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const isDev = process.env.NODE_ENV === "development";
  const https = request.nextUrl.protocol === "https:";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes are needed by virtualized lists (row positions).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

  const path = request.nextUrl.pathname;
  if (!PUBLIC.some((re) => re.test(path))) {
    keywardConfig ??= loadConfig();
    const cfg = keywardConfig;
    const token = await getToken({ req: request, secret: authSecret(cfg) });
    if (!token) {
      if (path.startsWith("/api/")) {
        return securityHeaders(NextResponse.json({ error: "Sign in first." }, { status: 401 }), csp, request);
      }
      const url = request.nextUrl.clone();
      url.pathname = "/signin";
      url.search = path === "/" ? "" : `?callbackUrl=${encodeURIComponent(path + request.nextUrl.search)}`;
      return securityHeaders(NextResponse.redirect(url), csp, request);
    }
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return securityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, request);
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
