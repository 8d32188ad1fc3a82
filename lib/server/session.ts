import "server-only";

import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";

import { authOptions } from "../auth/options";
import type { Role } from "../auth/roles.shared";

/** The signed-in user for a server component; redirects to sign-in when there is none. */
export async function requireUser(): Promise<{ email: string; role: Role }> {
  const session = await getServerSession(authOptions());
  const role = session?.user?.role;
  if (!session || !role) redirect("/signin");
  return { email: session.user?.email ?? "unknown", role };
}
