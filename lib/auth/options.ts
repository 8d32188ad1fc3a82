import "server-only";

// next-auth configuration: local users (scrypt) and an optional OIDC provider with a claim → role
// mapping; JWT sessions that expire (8 h by default); every sign-in and sign-out audited.
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

import { serverConfig } from "../config/server";

import { audit } from "./audit";
import { FailureLimiter } from "./rate-limit";
import { isRole, type Role } from "./roles.shared";
import { authSecret } from "./secret";
import { findUser, verifyPassword } from "./users";

let limiters: { ip: FailureLimiter; user: FailureLimiter } | undefined;

function clientIp(headers: Record<string, unknown> | undefined): string {
  const fwd = headers?.["x-forwarded-for"];
  const first = (Array.isArray(fwd) ? fwd[0] : String(fwd ?? "")).split(",")[0].trim();
  return first || "unknown";
}

export const SIGN_IN_ERRORS = {
  CredentialsSignin: "The email or password is not right.",
  TooManyAttempts: "Too many failed sign-ins. Wait a few minutes and try again.",
  DemoUserRefused: "Demo users can only sign in to the sandbox console.",
  NoRole: "Your account has no Keyward role. Ask an administrator to map one of your groups to a role.",
} as const;

export function authOptions(): NextAuthOptions {
  const cfg = serverConfig();
  const maxAge = Math.round(cfg.auth.sessionHours * 3600);
  limiters ??= {
    ip: new FailureLimiter(cfg.auth.signInAttempts.perIp, cfg.auth.signInAttempts.windowMinutes * 60_000),
    user: new FailureLimiter(cfg.auth.signInAttempts.perUser, cfg.auth.signInAttempts.windowMinutes * 60_000),
  };
  const lim = limiters;
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const ip = clientIp(req?.headers as Record<string, unknown> | undefined);
        const email = String(credentials?.email ?? "")
          .trim()
          .toLowerCase();
        const password = String(credentials?.password ?? "");
        if (lim.ip.blocked(ip) || (email && lim.user.blocked(email))) {
          audit(cfg.dataDir, { actor: email || undefined, action: "sign-in-throttled", outcome: "failure", ip });
          throw new Error("TooManyAttempts");
        }
        const user = email ? findUser(cfg.dataDir, email) : undefined;
        if (!user || !verifyPassword(password, user.hash)) {
          lim.ip.fail(ip);
          if (email) lim.user.fail(email);
          audit(cfg.dataDir, { actor: email || undefined, action: "sign-in", outcome: "failure", ip, detail: "wrong email or password" });
          return null;
        }
        if (user.demo && cfg.mode !== "sandbox") {
          audit(cfg.dataDir, { actor: email, action: "sign-in", outcome: "failure", ip, detail: "demo user outside sandbox mode" });
          throw new Error("DemoUserRefused");
        }
        lim.user.reset(email);
        return { id: user.email, email: user.email, name: user.email, role: user.role } as User;
      },
    }),
  ];
  const oidc = cfg.auth.oidc;
  if (oidc) {
    providers.push({
      id: "oidc",
      name: oidc.name,
      type: "oauth",
      wellKnown: `${oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: Record<string, unknown>) {
        const claim = profile[oidc.roleClaim];
        const values = (Array.isArray(claim) ? claim : [claim]).map(String);
        const order: Role[] = ["operator", "investigator", "viewer"];
        const mapped = values.map((v) => oidc.roleMap[v]).filter(isRole);
        const role = order.find((r) => mapped.includes(r));
        return { id: String(profile.sub), email: String(profile.email ?? profile.sub), name: String(profile.name ?? profile.email ?? profile.sub), role } as User;
      },
    });
  }
  return {
    secret: authSecret(cfg),
    session: { strategy: "jwt", maxAge },
    jwt: { maxAge },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      signIn({ user }) {
        if (!isRole((user as User & { role?: unknown }).role)) return "/signin?error=NoRole";
        return true;
      },
      jwt({ token, user }) {
        if (user) token.role = (user as User & { role: Role }).role;
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { role?: Role }).role = isRole(token.role) ? token.role : undefined;
        return session;
      },
    },
    events: {
      signIn({ user, account }) {
        audit(cfg.dataDir, { actor: user.email ?? user.id, action: "sign-in", outcome: "success", detail: account?.provider });
      },
      signOut({ token }) {
        audit(cfg.dataDir, { actor: String(token?.email ?? ""), action: "sign-out", outcome: "success" });
      },
    },
  };
}
