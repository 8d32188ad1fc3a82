// Log-file import benchmark. `npm run bench:import [-- --gib 2] [--keep]`
// Generates one gzipped CloudTrail log file that expands to GIB gibibytes (2 by default) in the
// temporary folder — it is never committed — then imports it into a fresh store the way
// `keyward import` does, and prints records/s and the peak resident memory (sampled every 50 ms).
// Goal: ≥ 50,000 records/s and peak RSS < 512 MB.
//
// The record mix follows what a trail of an account running agents delivers: 40 % KMS (Bedrock's
// Decrypt / GenerateDataKey with an agent encryption context, role calls, a few refusals), 3 %
// Secrets Manager GetSecretValue, 57 % other services the timeline does not collect (S3, STS, EC2,
// Lambda). Records are 1–2 KB, as real ones are.
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";

import { inventoryIndex } from "../lib/events/correlate";
import { importLogFiles } from "../lib/events/sources/files";
import { db } from "../lib/store/db";

const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const AGENT = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT12345`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const T0 = Date.parse("2026-06-01T00:00:00Z");

function identity(i: number): Record<string, unknown> {
  return {
    type: "AssumedRole",
    principalId: `AROAEXAMPLE${i % 97}:session-${i % 13}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/session-${i % 13}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIAEXAMPLE${String(i % 1000).padStart(6, "0")}`,
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: `AROAEXAMPLE${i % 97}`, arn: ROLE, accountId: ACCOUNT, userName: "AppRole" },
      attributes: { creationDate: new Date(T0 + i * 40).toISOString(), mfaAuthenticated: "false" },
    },
  };
}

function record(i: number): Record<string, unknown> {
  const base = {
    eventVersion: "1.11",
    eventTime: new Date(T0 + i * 40).toISOString(),
    awsRegion: "us-east-1",
    requestID: `${(i * 2654435761) % 4294967296}-req`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
    tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "kms.us-east-1.amazonaws.com" },
  };
  const m = i % 100;
  if (m < 40) {
    const service = m < 30;
    return {
      ...base,
      userIdentity: service ? { type: "AWSService", invokedBy: "bedrock.amazonaws.com" } : identity(i),
      eventSource: "kms.amazonaws.com",
      eventName: m % 3 === 0 ? "GenerateDataKey" : "Decrypt",
      sourceIPAddress: service ? "bedrock.amazonaws.com" : `198.51.100.${i % 250}`,
      userAgent: service ? "bedrock.amazonaws.com" : "aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#22.11.0 api/kms#3.700.0",
      requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { "aws:bedrock:arn": AGENT }, keySpec: m % 3 === 0 ? "AES_256" : undefined },
      responseElements: null,
      readOnly: true,
      resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: KEY }],
      ...(m === 39 ? { errorCode: "AccessDenied", errorMessage: `User: ${ROLE} is not authorized to perform: kms:Decrypt on resource: ${KEY}` } : {}),
    };
  }
  if (m < 43)
    return {
      ...base,
      userIdentity: identity(i),
      eventSource: "secretsmanager.amazonaws.com",
      eventName: "GetSecretValue",
      sourceIPAddress: `198.51.100.${i % 250}`,
      userAgent: "aws-sdk-js/3.700.0",
      requestParameters: { secretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/db-AbCdEf` },
      responseElements: null,
      readOnly: true,
      resources: [{ accountId: ACCOUNT, type: "AWS::SecretsManager::Secret", ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/db-AbCdEf` }],
    };
  const other = [
    ["s3.amazonaws.com", "GetBucketAcl", { bucketName: `logs-${i % 17}`, Host: `logs-${i % 17}.s3.us-east-1.amazonaws.com`, acl: "" }],
    ["sts.amazonaws.com", "AssumeRole", { roleArn: ROLE, roleSessionName: `session-${i % 13}`, durationSeconds: 3600 }],
    ["ec2.amazonaws.com", "DescribeInstances", { instancesSet: {}, filterSet: { items: [{ name: "tag:team", valueSet: { items: [{ value: "agents" }] } }] } }],
    ["lambda.amazonaws.com", "GetFunction20150331v2", { functionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:tool-${i % 9}` }],
  ] as const;
  const [eventSource, eventName, requestParameters] = other[i % other.length];
  return {
    ...base,
    userIdentity: identity(i),
    eventSource,
    eventName,
    sourceIPAddress: `203.0.113.${i % 250}`,
    userAgent: "aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.8 md/pyimpl#CPython cfg/retry-mode#standard",
    requestParameters,
    responseElements: null,
    readOnly: true,
  };
}

async function generate(file: string, bytes: number): Promise<number> {
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(file);
  gz.pipe(out);
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", () => resolve());
    out.on("error", reject);
  });
  let written = 0;
  let n = 0;
  const write = (s: string) => {
    written += Buffer.byteLength(s);
    return gz.write(s);
  };
  write('{"Records":[');
  while (written < bytes) {
    let ok = true;
    // Group records into ~1 MB writes: fewer gzip calls.
    const parts: string[] = [];
    for (let k = 0; k < 600 && written < bytes; k++) {
      const s = (n ? "," : "") + JSON.stringify(record(n));
      parts.push(s);
      written += s.length;
      n++;
    }
    ok = gz.write(parts.join(""));
    if (!ok) await new Promise((r) => gz.once("drain", r));
  }
  write("]}");
  gz.end();
  await done;
  return n;
}

async function main() {
  const { values } = parseArgs({ options: { gib: { type: "string", default: "2" }, keep: { type: "boolean", default: false } } });
  const gib = Number(values.gib);
  if (!(gib > 0 && gib <= 16)) throw new Error("--gib is a number of GiB between 0 and 16");
  const dir = mkdtempSync(join(tmpdir(), "kw-bench-import-"));
  const logs = join(dir, "AWSLogs", ACCOUNT, "CloudTrail", "us-east-1", "2026", "06", "01");
  await import("node:fs").then((fs) => fs.mkdirSync(logs, { recursive: true }));
  const file = join(logs, `${ACCOUNT}_CloudTrail_us-east-1_20260601T0000Z_bench.json.gz`);
  console.log(`generating a log file that expands to ${gib} GiB …`);
  let t = Date.now();
  const generated = await generate(file, gib * 1024 ** 3);
  console.log(`  ${generated.toLocaleString("en")} records, ${(statSync(file).size / 1024 ** 2).toFixed(0)} MiB gzipped, ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const d = db(join(dir, "data"));
  const inventory = inventoryIndex([{ arn: AGENT, kind: "bedrock-agent", key: { arn: KEY, type: "customer" }, secrets: [] }]);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  t = Date.now();
  const r = await importLogFiles(d, dir, { inventory });
  const seconds = (Date.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (r.errors.length) console.log("errors:", r.errors);
  const rate = r.records / seconds;
  const mib = (gib * 1024) / seconds;
  console.log(`import: ${r.records.toLocaleString("en")} records (${r.kept.toLocaleString("en")} kept, ${r.inserted.toLocaleString("en")} stored) in ${seconds.toFixed(1)} s`);
  console.log(`  ${Math.round(rate).toLocaleString("en")} records/s (goal ≥ 50,000) — ${mib.toFixed(0)} MiB of JSON/s`);
  console.log(`  peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB (goal < 512 MB)`);
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

void main();
