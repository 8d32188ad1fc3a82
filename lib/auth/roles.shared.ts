// Roles and what each may do. Safe for the browser: the UI hides what a role cannot do; the server
// checks every route with the same table.
export const ROLES = ["viewer", "investigator", "operator"] as const;
export type Role = (typeof ROLES)[number];

export type Permission = "read" | "export-events" | "apply-changes" | "view-audit";

const GRANTS: Record<Role, Permission[]> = {
  viewer: ["read"],
  investigator: ["read", "export-events"],
  operator: ["read", "export-events", "apply-changes", "view-audit"],
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return !!role && GRANTS[role].includes(permission);
}

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}
