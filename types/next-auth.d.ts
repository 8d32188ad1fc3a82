import type { Role } from "@/lib/auth/roles.shared";

declare module "next-auth" {
  interface Session {
    user?: { name?: string | null; email?: string | null; image?: string | null; role?: Role };
  }
  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}
