// Whether a trail change stops KMS or Secrets Manager events from being recorded (KW-DET-08).
//
// A trail records an event when it matches any of its selectors (AWS CloudTrail User Guide,
// "Logging management events" and "Filtering data events by using advanced event selectors"):
// - basic selectors: `includeManagementEvents` (default true), `readWriteType` All / ReadOnly /
//   WriteOnly, `excludeManagementEventSources` (kms.amazonaws.com and rdsdata.amazonaws.com);
// - advanced selectors: every field selector of one selector must match (AND); within a field,
//   `equals`/`startsWith`/`endsWith` match any listed value, `notEquals`/`notStartsWith`/
//   `notEndsWith` none of them.
// The change is judged by probing the new selectors with the KMS and Secrets Manager calls the
// timeline and the detections rely on. A field Keyward cannot evaluate for a probe (such as
// `userIdentity.arn`) counts as not matching: the change may hide some of those events, and a trail
// change that may blind auditing is reported, never passed.

interface Probe {
  source: "kms.amazonaws.com" | "secretsmanager.amazonaws.com";
  readOnly: boolean;
  names: string[];
  label: string;
}

/** The calls probed: reads (Decrypt, GenerateDataKey, GetSecretValue) and writes (the key and secret changes KW-DET-05 watches). */
const PROBES: Probe[] = [
  { source: "kms.amazonaws.com", readOnly: true, names: ["Decrypt", "GenerateDataKey", "Encrypt", "ReEncrypt"], label: "KMS key use (Decrypt, GenerateDataKey)" },
  {
    source: "kms.amazonaws.com",
    readOnly: false,
    names: ["PutKeyPolicy", "ScheduleKeyDeletion", "DisableKey", "CreateGrant"],
    label: "KMS key changes (PutKeyPolicy, ScheduleKeyDeletion, DisableKey, CreateGrant)",
  },
  { source: "secretsmanager.amazonaws.com", readOnly: true, names: ["GetSecretValue"], label: "Secrets Manager reads (GetSecretValue)" },
  { source: "secretsmanager.amazonaws.com", readOnly: false, names: ["PutResourcePolicy", "RotateSecret"], label: "Secrets Manager changes (PutResourcePolicy, RotateSecret)" },
];

type Rec = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === "string");
/** CloudTrail writes request parameters in camelCase; the SDK's spelling is accepted too. */
const field = (o: Rec, name: string): unknown => o[name] ?? o[name[0].toUpperCase() + name.slice(1)];

function basicMatches(sel: Rec, p: Probe): boolean {
  if (field(sel, "includeManagementEvents") === false) return false;
  const rw = String(field(sel, "readWriteType") ?? "All");
  if (rw === "ReadOnly" && !p.readOnly) return false;
  if (rw === "WriteOnly" && p.readOnly) return false;
  if (strs(field(sel, "excludeManagementEventSources")).includes(p.source)) return false;
  return true;
}

/** A field's value for one probe call; undefined when Keyward can't know it. */
function probeValue(fieldName: string, p: Probe, name: string): string | undefined {
  switch (fieldName) {
    case "eventCategory":
      return "Management";
    case "eventSource":
      return p.source;
    case "readOnly":
      return String(p.readOnly);
    case "eventName":
      return name;
    case "eventType":
      return "AwsApiCall";
    default:
      return undefined;
  }
}

function fieldMatches(fs: Rec, value: string | undefined): boolean {
  if (value === undefined) return false;
  const ops: [string, (v: string, x: string) => boolean, boolean][] = [
    ["equals", (v, x) => v === x, true],
    ["startsWith", (v, x) => v.startsWith(x), true],
    ["endsWith", (v, x) => v.endsWith(x), true],
    ["notEquals", (v, x) => v === x, false],
    ["notStartsWith", (v, x) => v.startsWith(x), false],
    ["notEndsWith", (v, x) => v.endsWith(x), false],
  ];
  for (const [op, test, positive] of ops) {
    const values = field(fs, op);
    if (values === undefined) continue;
    const hit = strs(values).some((x) => test(value, x));
    if (positive ? !hit : hit) return false;
  }
  return true;
}

function advancedMatches(sel: Rec, p: Probe, name: string): boolean {
  const fss = arr(field(sel, "fieldSelectors")) as Rec[];
  return fss.every((fs) => fieldMatches(fs, probeValue(String(field(fs, "field")), p, name)));
}

/** The probes no selector records: each probe is recorded only if every one of its calls is. */
export function unrecorded(rp: Rec): string[] {
  const basic = field(rp, "eventSelectors");
  const advanced = field(rp, "advancedEventSelectors");
  const missed: string[] = [];
  for (const p of PROBES) {
    const recorded = p.names.every((name) =>
      advanced !== undefined && advanced !== null ? (arr(advanced) as Rec[]).some((s) => advancedMatches(s, p, name)) : (arr(basic) as Rec[]).some((s) => basicMatches(s, p)),
    );
    if (!recorded) missed.push(p.label);
  }
  return missed;
}

/** Why a successful CloudTrail call blinds KMS or Secrets Manager auditing, or undefined when it doesn't. */
export function blindingChange(eventName: string, rp: Rec): string | undefined {
  if (eventName === "StopLogging") return "stopped logging";
  if (eventName === "DeleteTrail") return "deleted the trail";
  if (eventName === "PutEventSelectors") {
    const missed = unrecorded(rp);
    return missed.length ? `changed event selectors so the trail no longer records ${missed.join("; ")}` : undefined;
  }
  if (eventName === "UpdateTrail") {
    const why: string[] = [];
    // KMS and Secrets Manager are regional: a single-region trail misses every other region's calls.
    if (field(rp, "isMultiRegionTrail") === false) why.push("made the trail single-region (other regions' KMS and Secrets Manager calls are no longer recorded)");
    if (typeof field(rp, "s3BucketName") === "string") why.push(`sent the trail's logs to another bucket (${String(field(rp, "s3BucketName"))})`);
    return why.length ? why.join("; ") : undefined;
  }
  return undefined;
}
