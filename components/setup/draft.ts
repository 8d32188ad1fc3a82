// The wizard's draft: what the user typed, kept in the browser (localStorage) so a reload or a
// detour through another page loses nothing, and turned into the API's setup request.
import { FLOWS, type Flow, type SetupRequestInput, setupRequestSchema } from "@/lib/setup/types.shared";

export interface Draft {
  flow: Flow;
  region: string;
  name: string;
  description: string;
  mode: "create" | "update" | "replace";
  existing: string;
  role: string;
  secretArn: string;
  jsonKey: string;
  fixKeyPolicy: boolean;
  fixResourcePolicy: boolean;
  keyMode: "new" | "existing";
  alias: string;
  keyDescription: string;
  tags: string;
  rotation: boolean;
  deletionWindowDays: number;
  existingKeyArn: string;
  updatePolicy: boolean;
  /** The key policy as edited; undefined = the generated one. */
  policy?: string;
}

export const EMPTY_DRAFT: Draft = {
  flow: "memory",
  region: "",
  name: "",
  description: "",
  mode: "create",
  existing: "",
  role: "",
  secretArn: "",
  jsonKey: "api_key",
  fixKeyPolicy: true,
  fixResourcePolicy: true,
  keyMode: "new",
  alias: "",
  keyDescription: "",
  tags: "",
  rotation: true,
  deletionWindowDays: 30,
  existingKeyArn: "",
  updatePolicy: false,
};

const STORAGE = "keyward.setup.draft";

export function loadDraft(): Draft | undefined {
  try {
    const raw = localStorage.getItem(STORAGE);
    if (!raw) return undefined;
    const d = { ...EMPTY_DRAFT, ...(JSON.parse(raw) as Partial<Draft>) };
    return (FLOWS as readonly string[]).includes(d.flow) ? d : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(d: Draft): void {
  try {
    localStorage.setItem(STORAGE, JSON.stringify(d));
  } catch {
    // Storage full or disabled: the draft lives only in this tab.
  }
}

export function clearDraft(): void {
  localStorage.removeItem(STORAGE);
}

export function parseTags(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\n|,/)) {
    const t = line.trim();
    if (!t) continue;
    const i = t.indexOf("=");
    if (i < 1) continue;
    out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}

export function toRequest(d: Draft, withPolicy = true): SetupRequestInput {
  const mode = d.flow === "agent" || d.flow === "memory" ? d.mode : "create";
  return {
    flow: d.flow,
    region: d.region,
    name: d.flow === "token-vault" ? "default" : d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    mode,
    ...(mode !== "create" && d.existing ? { existing: d.existing } : {}),
    ...(d.flow === "credential-provider"
      ? { secret: { arn: d.secretArn, jsonKey: d.jsonKey }, fixSecret: { keyPolicy: d.fixKeyPolicy, resourcePolicy: d.fixResourcePolicy } }
      : {
          key:
            d.keyMode === "new"
              ? {
                  mode: "new" as const,
                  ...(d.alias.trim() ? { alias: d.alias.trim() } : {}),
                  ...(d.keyDescription.trim() ? { description: d.keyDescription.trim() } : {}),
                  tags: parseTags(d.tags),
                  rotation: d.rotation,
                  deletionWindowDays: d.deletionWindowDays,
                }
              : { mode: "existing" as const, arn: d.existingKeyArn, updatePolicy: d.updatePolicy || d.flow === "agent" },
        }),
    ...(d.role.trim() && !(d.flow === "agent" && mode === "update") ? { role: d.role.trim() } : {}),
    ...(withPolicy && d.policy !== undefined ? { policy: d.policy } : {}),
  };
}

/** Field errors of the draft (path → message), from the same schema the server uses. */
export function draftErrors(d: Draft): Record<string, string> {
  const r = setupRequestSchema.safeParse(toRequest(d));
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const i of r.error.issues) {
    const k = String(i.path[0] ?? "request");
    out[k] ??= i.message;
  }
  return out;
}
