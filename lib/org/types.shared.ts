// What an organization discovery found, as the scan result and Settings carry it.
import type { ScanError } from "../inventory/types.shared";

export interface OrgAccount {
  id: string;
  name: string;
  email?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE… as Organizations says. */
  status: string;
  /** The root and units above the account, top first. */
  path: { id: string; name: string }[];
  /** The organization's management account. */
  management: boolean;
  /** The role read through (none: the credentials Keyward runs with). */
  roleArn?: string;
  /** Why the account is not read (not selected, suspended…). */
  skipped?: string;
  /** The role could not be assumed. */
  error?: { code: string; message: string };
}

export interface OrgDiscovery {
  at: string;
  organizationId?: string;
  managementAccount?: string;
  role: string;
  accounts: OrgAccount[];
  /** Listing and AssumeRole failures, per account where one is concerned. */
  errors: ScanError[];
}
