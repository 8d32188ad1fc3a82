// The CloudFormation template a service-managed StackSet deploys to the organization's member
// accounts: the role Keyward assumes there, trusting the management (or delegated administrator)
// account, with the read policy of docs/iam-policy.json — generated from it, so the two cannot drift.
// `npm run docs:stackset` writes docs/organization/keyward-read-role.stackset.yaml.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

import { stringify } from "yaml";

export const STACKSET_FILE = "docs/organization/keyward-read-role.stackset.yaml";

export function stackSetTemplate(policyFile = "docs/iam-policy.json"): string {
  const read = (JSON.parse(readFileSync(policyFile, "utf8")) as { read: unknown }).read;
  const doc = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Keyward read role for the member accounts of an AWS Organization (deploy as a service-managed StackSet to the OUs Keyward reads).",
    Parameters: {
      KeywardAccountId: { Type: "String", AllowedPattern: "^\\d{12}$", Description: "The account Keyward runs in: the management account or the delegated administrator." },
      RoleName: { Type: "String", Default: "KeywardRead", AllowedPattern: "^[\\w+=,.@-]{1,64}$", Description: "organization.role in Keyward's configuration." },
      ExternalId: { Type: "String", Default: "", Description: "organization.externalId in Keyward's configuration (empty: none)." },
    },
    Conditions: { HasExternalId: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "ExternalId" }, ""] }] } },
    Resources: {
      KeywardReadRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          Description: "Keyward reads agent resources, their keys and their key usage (never a secret's value).",
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${KeywardAccountId}:root" } },
                Action: "sts:AssumeRole",
                Condition: { "Fn::If": ["HasExternalId", { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } }, { Ref: "AWS::NoValue" }] },
              },
            ],
          },
          Policies: [{ PolicyName: "KeywardRead", PolicyDocument: read }],
        },
      },
    },
    Outputs: { RoleArn: { Value: { "Fn::GetAtt": ["KeywardReadRole", "Arn"] } } },
  };
  // Dates as strings: YAML 1.1 readers would take an unquoted 2012-10-17 for a date.
  const text = stringify(doc, { lineWidth: 0 }).replace(/^(\s*(?:AWSTemplateFormatVersion|Version): )(\d{4}-\d\d-\d\d)$/gm, '$1"$2"');
  return `# Generated from docs/iam-policy.json by npm run docs:stackset: do not edit by hand.\n${text}`;
}

if (require.main === module) {
  mkdirSync("docs/organization", { recursive: true });
  writeFileSync(STACKSET_FILE, stackSetTemplate());
  console.log(`wrote ${STACKSET_FILE}`);
}
