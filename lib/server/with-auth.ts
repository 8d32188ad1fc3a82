import "server-only";

// The one wrapper around every route handler: resolves the session, checks the role, checks the
// Origin of mutating requests (CSRF), parses query and body with zod (422 with the issues), maps
// typed errors to their status and never leaks raw internals to the browser.
import { getServerSession, type Session } from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { z, type ZodType } from "zod";

import { audit } from "../auth/audit";
import { authOptions } from "../auth/options";
import { can, type Permission, type Role } from "../auth/roles.shared";
import { serverConfig } from "../config/server";

export class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
    public extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface AuthedContext<Q, B> {
  req: NextRequest;
  session: Session;
  user: { email: string; role: Role };
  query: Q;
  body: B;
  params: Record<string, string>;
}

function ipOf(req: NextRequest): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0].trim() ?? "unknown";
}

export function withAuth<Q = Record<string, never>, B = undefined>(
  handler: (ctx: AuthedContext<Q, B>) => Promise<unknown> | unknown,
  opts: { permission?: Permission; query?: ZodType<Q>; body?: ZodType<B> } = {},
) {
  return async (req: NextRequest, route: { params: Promise<Record<string, string>> }): Promise<NextResponse> => {
    const cfg = serverConfig();
    const session = await getServerSession(authOptions());
    const role = session?.user?.role;
    if (!session || !role) {
      audit(cfg.dataDir, { action: "access-refused", outcome: "failure", ip: ipOf(req), detail: `${req.method} ${req.nextUrl.pathname}: not signed in` });
      return NextResponse.json({ error: "Sign in first." }, { status: 401 });
    }
    const email = session.user?.email ?? "unknown";
    const permission = opts.permission ?? "read";
    if (!can(role, permission)) {
      audit(cfg.dataDir, {
        actor: email,
        action: "access-refused",
        outcome: "failure",
        ip: ipOf(req),
        detail: `${req.method} ${req.nextUrl.pathname}: role ${role} lacks ${permission}`,
      });
      return NextResponse.json({ error: `Your role (${role}) cannot do this.` }, { status: 403 });
    }
    if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) {
      const origin = req.headers.get("origin");
      const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
      if (!origin || new URL(origin).host !== host) {
        audit(cfg.dataDir, {
          actor: email,
          action: "access-refused",
          outcome: "failure",
          ip: ipOf(req),
          detail: `${req.method} ${req.nextUrl.pathname}: cross-origin request (${origin ?? "no Origin"})`,
        });
        return NextResponse.json({ error: "Cross-origin requests are refused." }, { status: 403 });
      }
    }
    let query = {} as Q;
    let body = undefined as B;
    try {
      if (opts.query) query = opts.query.parse(Object.fromEntries(req.nextUrl.searchParams));
      if (opts.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          return NextResponse.json({ error: "The request body is not JSON." }, { status: 400 });
        }
        body = opts.body.parse(raw);
      }
    } catch (e) {
      if (e instanceof z.ZodError) {
        return NextResponse.json({ error: "The request is not valid.", issues: e.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, { status: 422 });
      }
      throw e;
    }
    try {
      const result = await handler({ req, session, user: { email, role }, query, body, params: await route.params });
      return result instanceof NextResponse ? result : NextResponse.json(result);
    } catch (e) {
      if (e instanceof HttpError) return NextResponse.json({ error: e.message, ...e.extra }, { status: e.status });
      console.error(`${req.method} ${req.nextUrl.pathname}:`, e);
      return NextResponse.json({ error: "Something went wrong on the server. The details are in the server log." }, { status: 500 });
    }
  };
}
