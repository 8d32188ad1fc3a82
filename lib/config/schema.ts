// The configuration file (keyward.config.json) and environment, as zod schemas. Shared by the
// server and the CLI; docs/configuration.md describes every field.
import { Cron } from "croner";
import { z } from "zod";

import type { OrgDiscovery } from "../org/types.shared";

const AccountId = z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits");
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "not a region name (like us-east-1)");

export const AccountConfig = z.object({
  id: AccountId,
  name: z.string().optional(),
  /** Role to assume in the account; omitted = use the credentials as they are. */
  roleArn: z
    .string()
    .regex(/^arn:aws:iam::\d{12}:role\/.+$/, "roleArn must be an IAM role ARN")
    .optional(),
  externalId: z.string().optional(),
  regions: z.array(Region).min(1, "list at least one region"),
});

/**
 * An AWS Organization to discover accounts from (with the base credentials of the management account
 * or a delegated administrator): each active account found is read through the named role.
 */
export const OrganizationConfig = z.object({
  /** The role assumed in each member account (its name; the StackSet in docs/ creates it). */
  role: z.string().regex(/^[\w+=,.@-]{1,64}$/, "a role name such as KeywardRead"),
  externalId: z.string().min(2).max(1224).optional(),
  /** Organizational units (ou-…), the root (r-…) or account ids to read; empty = the whole organization. An OU includes the OUs under it. */
  include: z.array(z.string().regex(/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}|\d{12})$/, "an OU id (ou-…), the root id (r-…) or an account id")).default([]),
  /** The same, left out (exclusion wins over inclusion). */
  exclude: z.array(z.string().regex(/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}|\d{12})$/, "an OU id (ou-…), the root id (r-…) or an account id")).default([]),
  regions: z.array(Region).min(1, "list at least one region"),
  /**
   * An AWS Config organization aggregator in the account whose credentials Keyward runs with (the
   * management account or Config's delegated administrator): the types Config records are read from
   * it, the rest from the APIs (docs/architecture.md, "Inventory from AWS Config").
   */
  configAggregator: z
    .object({
      name: z.string().regex(/^[\w-]{1,256}$/, "the aggregator's name: letters, digits, _ or -"),
      region: Region,
    })
    .optional(),
});

/** A five-field cron expression (minute hour day month weekday), checked by croner, at most every minute. */
export const CronExpression = z
  .string()
  .trim()
  .refine((v) => v.split(/\s+/).length === 5, "five fields: minute hour day-of-month month day-of-week (e.g. 0 * * * *)")
  .refine((v) => {
    try {
      new Cron(v, { paused: true, timezone: "UTC" });
      return true;
    } catch {
      return false;
    }
  }, "not a cron expression croner accepts");

export const OidcConfig = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Claim holding the user's groups or roles (default "groups"). */
  roleClaim: z.string().default("groups"),
  /** Claim value → Keyward role. Users whose claims map to nothing are refused. */
  roleMap: z.record(z.string(), z.enum(["viewer", "investigator", "operator"])).default({}),
  name: z.string().default("Single sign-on"),
});

export const KeywardConfig = z.object({
  mode: z.enum(["aws", "sandbox"]).default("aws"),
  accounts: z.array(AccountConfig).default([]),
  /** Accounts discovered from AWS Organizations, beside (never instead of) `accounts`. */
  organization: OrganizationConfig.optional(),
  /** Account ids trusted to use keys across accounts (policy rules treat them as inside). */
  trustedAccounts: z.array(AccountId).default([]),
  /** AWS Organizations ids (o-…) whose member accounts are treated as inside by the outside-access analysis. */
  trustedOrganizations: z.array(z.string().regex(/^o-[a-z0-9]{10,32}$/, "an organization id such as o-a1b2c3d4e5")).default([]),
  /** IAM Access Analyzer's checks of every scanned key and secret policy, shown beside Keyward's own. */
  accessAnalyzer: z
    .object({
      /** ValidatePolicy (no charge). */
      validatePolicy: z.boolean().default(true),
      /** CheckNoPublicAccess (billed per call by AWS): off unless turned on. */
      checkNoPublicAccess: z.boolean().default(false),
    })
    .default({ validatePolicy: true, checkNoPublicAccess: false }),
  /**
   * Scans and event syncs on a schedule (five-field cron, UTC). Operators may change them in Settings;
   * their change is kept in the store and wins over this default.
   */
  schedules: z
    .object({
      scan: CronExpression.optional(),
      sync: CronExpression.optional(),
    })
    .strict()
    .default({}),
  /**
   * Where new findings at or above `minSeverity` are sent (lib/posture/notify.ts): a Slack incoming
   * webhook and a generic webhook signed with HMAC-SHA256. Each message links to the console at `consoleUrl`.
   */
  notifications: z
    .object({
      minSeverity: z.enum(["critical", "high", "medium", "low", "info"]).default("high"),
      consoleUrl: z.string().url().default("http://localhost:3000"),
      slack: z.object({ webhookUrl: z.string().url().startsWith("https://", "a Slack incoming webhook URL (https://hooks.slack.com/…)") }).optional(),
      webhook: z.object({ url: z.string().url(), secret: z.string().min(16, "at least 16 characters") }).optional(),
    })
    .strict()
    .default({ minSeverity: "high", consoleUrl: "http://localhost:3000" }),
  /**
   * Findings exported to AWS Security Hub after every scan (lib/posture/asff.ts), each into its own
   * account under its custom-integration product, in the resource's region or `region`.
   */
  securityHub: z.object({ region: Region.optional() }).strict().optional(),
  dataDir: z.string().default(".data/keyward"),
  events: z
    .object({
      /** Days of history the first sync reads (CloudTrail event history keeps 90). */
      firstSyncDays: z.number().int().min(1).max(90).default(7),
      /** Events fetched from AWS (LookupEvents, Athena, Lake) older than this are deleted after a clean sync of their source. */
      retentionDays: z.number().int().min(1).max(3650).default(400),
      /**
       * Per source, days to keep (null: keep until deleted by hand). Unset sources: `retentionDays`
       * for the fetched ones; imported log files are never deleted unless `file` is set here.
       */
      retention: z
        .object({
          lookup: z.number().int().min(1).max(3650).nullable(),
          athena: z.number().int().min(1).max(3650).nullable(),
          lake: z.number().int().min(1).max(3650).nullable(),
          file: z.number().int().min(1).max(3650).nullable(),
        })
        .partial()
        .strict()
        .default({}),
      /** LookupEvents requests per second per account and region (AWS allows 2). */
      lookupTps: z.number().positive().max(2).default(2),
      /** Read events with Amazon Athena over the trail's S3 logs instead of LookupEvents. */
      athena: z
        .object({
          account: AccountId,
          region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as us-east-1"),
          roleArn: z.string().startsWith("arn:aws:iam::").optional(),
          database: z.string().regex(/^[a-z_][a-z0-9_]*$/, "lower-case letters, digits and _"),
          table: z.string().regex(/^[a-z_][a-z0-9_]*$/, "lower-case letters, digits and _"),
          workGroup: z.string().min(1).optional(),
          outputLocation: z.string().regex(/^s3:\/\/[a-z0-9.-]+\/.*$/, "an s3:// location for query results"),
        })
        .optional(),
      /** Read events from a CloudTrail Lake event data store instead of LookupEvents. */
      lake: z
        .object({
          account: AccountId,
          region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as us-east-1"),
          roleArn: z.string().startsWith("arn:aws:iam::").optional(),
          eventDataStore: z.string().regex(/(^|\/)[a-f0-9-]{36}$/i, "an event data store ID or ARN"),
        })
        .optional(),
    })
    .default({ firstSyncDays: 7, retentionDays: 400, retention: {}, lookupTps: 2 }),
  auth: z
    .object({
      sessionHours: z
        .number()
        .min(0.25)
        .max(24 * 7)
        .default(8),
      oidc: OidcConfig.optional(),
      signInAttempts: z
        .object({ perIp: z.number().int().min(1).default(20), perUser: z.number().int().min(1).default(5), windowMinutes: z.number().min(1).default(15) })
        .default({ perIp: 20, perUser: 5, windowMinutes: 15 }),
    })
    .default({ sessionHours: 8, signInAttempts: { perIp: 20, perUser: 5, windowMinutes: 15 } }),
});

export type KeywardConfigData = z.output<typeof KeywardConfig>;
export type AccountConfigData = z.output<typeof AccountConfig>;
export type OrganizationConfigData = z.output<typeof OrganizationConfig>;

/**
 * What is treated as inside: the configured accounts, the trusted accounts and the trusted
 * organizations (o-…), and the accounts of the organization the last scan discovered (as the scan
 * itself treats them).
 */
export function insideAccounts(cfg: KeywardConfigData, scan?: { organization?: OrgDiscovery } | null): Set<string> {
  return new Set([...cfg.accounts.map((a) => a.id), ...cfg.trustedAccounts, ...cfg.trustedOrganizations, ...(scan?.organization?.accounts.map((a) => a.id) ?? [])]);
}
