// The accounts the last scan discovered in the configured AWS Organization: where each sits, how it
// is read, what the scan found there, and why an account was not read.
import { Badge } from "@/components/ui/badge";
import type { ConfigInventorySummary } from "@/lib/inventory/types.shared";
import type { OrgDiscovery } from "@/lib/org/types.shared";

export interface OrganizationPanelProps {
  role: string;
  discovery?: OrgDiscovery;
  scannedAt?: string;
  /** Resources the scan read per account. */
  resourcesByAccount: Record<string, number>;
  /** What the scan read from the AWS Config aggregator, where one is configured. */
  inventory?: ConfigInventorySummary;
}

/** Where the inventory came from: the aggregator's items per type, and where the APIs were read instead (and why). */
function InventorySource({ inventory }: { inventory: ConfigInventorySummary }) {
  const used = Object.entries(inventory.items);
  // "Config holds none of the type here" is routine (most accounts have no guardrail in most regions); the rest are worth a look.
  const notable = inventory.fallbacks.filter((f) => !/holds no/.test(f.reason));
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="config-inventory">
      <p>
        Inventory from the AWS Config aggregator <span className="font-mono">{inventory.aggregator}</span> ({inventory.region}):{" "}
        {inventory.error ? (
          <span className="text-red-700 dark:text-red-300">
            could not be read ({inventory.error.code}: {inventory.error.message}); every API was read instead.
          </span>
        ) : (
          <>{used.map(([t, n]) => `${n.toLocaleString("en-US")} ${t}`).join(", ") || "no items"} used; the other kinds, key policies, grants and last use from the APIs.</>
        )}
      </p>
      {notable.length ? (
        <details className="mt-2">
          <summary className="cursor-pointer">
            {notable.length} account-region-type{notable.length === 1 ? "" : "s"} read through the API instead of Config
          </summary>
          <ul className="mt-1 list-disc pl-5">
            {notable.map((f) => (
              <li key={`${f.account}|${f.region}|${f.type}`}>
                <span className="font-mono">
                  {f.account} {f.region} {f.type}
                </span>
                : {f.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function OrganizationPanel({ role, discovery, scannedAt, resourcesByAccount, inventory }: OrganizationPanelProps) {
  if (!discovery)
    return (
      <p className="rounded-xl border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="organization-empty">
        Not discovered yet: the next scan lists the organization and reads each member account through the role {role}.
      </p>
    );
  const listingErrors = discovery.errors.filter((e) => !e.account);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Organization <span className="font-mono">{discovery.organizationId ?? "not listed"}</span>
        {discovery.managementAccount ? (
          <>
            {" "}
            · management account <span className="font-mono">{discovery.managementAccount}</span>
          </>
        ) : null}{" "}
        · discovered {discovery.at.slice(0, 16).replace("T", " ")} UTC{scannedAt ? ` for the scan of ${scannedAt.slice(0, 16).replace("T", " ")} UTC` : ""}
      </p>
      {inventory ? <InventorySource inventory={inventory} /> : null}
      {listingErrors.map((e) => (
        <p key={e.operation} role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {e.operation} failed: {e.code} — {e.message}
        </p>
      ))}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-sm" data-testid="organization-accounts">
          <caption className="sr-only">Accounts of the organization and how the last scan read them</caption>
          <thead className="text-left text-xs text-slate-500">
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th scope="col" className="px-3 py-2 font-medium">
                Account
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Organizational unit
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Read as
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Resources
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Last scan
              </th>
            </tr>
          </thead>
          <tbody>
            {discovery.accounts.map((a) => (
              <tr key={a.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid="organization-account" data-account={a.id}>
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  <span className="font-mono">{a.id}</span> {a.name}
                  {a.management ? (
                    <>
                      {" "}
                      <Badge tone="brand">management</Badge>
                    </>
                  ) : null}
                </th>
                <td className="px-3 py-2">{a.path.map((p) => p.name).join(" / ")}</td>
                <td className="px-3 py-2 font-mono text-xs">{a.skipped ? "—" : (a.roleArn ?? "Keyward's own credentials")}</td>
                <td className="px-3 py-2 text-right tabular-nums">{a.skipped || a.error ? "—" : (resourcesByAccount[a.id] ?? 0)}</td>
                <td className="px-3 py-2">
                  {a.error ? (
                    <span className="text-red-700 dark:text-red-300">
                      <Badge tone="bad">failed</Badge> {a.error.code}: {a.error.message}
                    </span>
                  ) : a.skipped ? (
                    <span className="text-slate-600 dark:text-slate-300">Not read: {a.skipped}</span>
                  ) : (
                    <Badge tone="ok">read</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
