// Normalization and correlation on CloudTrail records shaped as AWS documents them. Sources:
//  [1] AWS KMS Developer Guide, "Decrypt" CloudTrail example (docs.aws.amazon.com/kms/latest/developerguide/ct-decrypt.html)
//  [2] AWS KMS Developer Guide, "GenerateDataKey" example (ct-generatedatakey.html) — keyId is a bare key id; the key's
//      ARN (in another region than awsRegion) is only in resources[]
//  [3] AWS KMS Developer Guide, "Encrypt" example (ct-encrypt.html) — the published text has a trailing comma after
//      "encryptionAlgorithm", fixed here so it parses
//  [4] AWS KMS Developer Guide, "Decrypt failure with a standard symmetric encryption key" — AccessDenied, requestParameters
//      null, no resources, the key ARN only in errorMessage
//  [5] AWS Secrets Manager User Guide, "Log AWS Secrets Manager events with AWS CloudTrail" — GetSecretValue by name; older
//      records spell the resource ARN "aRN"
//  [6] Amazon Bedrock User Guide, "Encryption of agent resources" — Bedrock calls KMS as an AWS service with
//      kms:EncryptionContext:aws:bedrock:arn; AgentCore Identity writes the token-vault context with the aws-crypto-ec: prefix
import { describe, expect, it } from "vitest";

import { correlate, inventoryIndex } from "./correlate";
import { normalizeRecord, secretIndex, secretNameOf } from "./normalize";

const KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const alice = {
  type: "IAMUser",
  principalId: "EX_PRINCIPAL_ID",
  arn: "arn:aws:iam::111122223333:user/Alice",
  accountId: "111122223333",
  accessKeyId: "EXAMPLE_KEY_ID",
  userName: "Alice",
};

const DECRYPT = {
  eventVersion: "1.11",
  userIdentity: alice,
  eventTime: "2025-05-20T20:45:00Z",
  eventSource: "kms.amazonaws.com",
  eventName: "Decrypt",
  awsRegion: "us-west-2",
  sourceIPAddress: "192.0.2.0",
  userAgent: "AWS Internal",
  requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", keyId: KEY, encryptionContext: { Department: "Engineering", Project: "Alpha" } },
  responseElements: null,
  requestID: "12345126-30d5-4b28-98b9-9153da559963",
  eventID: "abcde202-ba1a-467c-b4ba-f729d45ae521",
  readOnly: true,
  resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: KEY }],
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "111122223333",
  eventCategory: "Management",
};

const GENERATE = {
  eventVersion: "1.11",
  userIdentity: alice,
  eventTime: "2025-05-20T20:46:16Z",
  eventSource: "kms.amazonaws.com",
  eventName: "GenerateDataKey",
  awsRegion: "us-east-1",
  sourceIPAddress: "192.0.2.0",
  userAgent: "AWS Internal",
  requestParameters: { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", keySpec: "AES_256", encryptionContext: { Department: "Engineering", Project: "Alpha" } },
  responseElements: null,
  requestID: "e0eb83e3-63bc-11e4-bc2b-4198b6150d5c",
  eventID: "a9dea4f9-8395-46c0-942c-f509c02c2b71",
  readOnly: true,
  resources: [{ ARN: KEY, accountId: "111122223333" }],
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "111122223333",
};

const ENCRYPT = {
  ...GENERATE,
  eventName: "Encrypt",
  requestParameters: { encryptionContext: { Department: "Engineering" }, keyId: KEY, encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
  requestID: "f3423043-63bc-11e4-bc2b-4198b6150d5c",
  eventID: "91235988-eb87-476a-ac2c-0cdc244e6dca",
};

const DECRYPT_DENIED = {
  eventVersion: "1.11",
  userIdentity: alice,
  eventTime: "2025-05-20T20:45:00Z",
  eventSource: "kms.amazonaws.com",
  eventName: "Decrypt",
  awsRegion: "us-west-2",
  sourceIPAddress: "192.0.2.0",
  userAgent: "AWS Internal",
  errorCode: "AccessDenied",
  errorMessage: `User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:Decrypt on resource: ${KEY} because no resource-based policy allows the kms:Decrypt action`,
  requestParameters: null,
  responseElements: null,
  requestID: "12345126-30d5-4b28-98b9-9153da559963",
  eventID: "abcde202-ba1a-467c-b4ba-f729d45ae521",
  readOnly: true,
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "111122223333",
  eventCategory: "Management",
};

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:salesforce-client-AbCdEf";
const GET_SECRET = {
  eventVersion: "1.05",
  userIdentity: {
    type: "AssumedRole",
    principalId: "AROAEXAMPLE:agentcore",
    arn: "arn:aws:sts::111122223333:assumed-role/AgentCoreIdentityRole/agentcore",
    accountId: "111122223333",
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: "AROAEXAMPLE",
        arn: "arn:aws:iam::111122223333:role/AgentCoreIdentityRole",
        accountId: "111122223333",
        userName: "AgentCoreIdentityRole",
      },
    },
    invokedBy: "bedrock-agentcore-identity.amazonaws.com",
  },
  eventTime: "2025-05-21T08:00:00Z",
  eventSource: "secretsmanager.amazonaws.com",
  eventName: "GetSecretValue",
  awsRegion: "us-east-1",
  sourceIPAddress: "bedrock-agentcore-identity.amazonaws.com",
  userAgent: "bedrock-agentcore-identity.amazonaws.com",
  requestParameters: { secretId: "salesforce-client" },
  responseElements: null,
  requestID: "b4b0f5a2-1b2c-4d5e-8f90-123456789abc",
  eventID: "c1d2e3f4-5a6b-7c8d-9e0f-1a2b3c4d5e6f",
  readOnly: true,
  resources: [{ accountId: "111122223333", type: "AWS::SecretsManager::Secret", aRN: SECRET_ARN }],
  eventType: "AwsApiCall",
  recipientAccountId: "111122223333",
};

const AGENT = "arn:aws:bedrock:us-east-1:111122223333:agent/AGENT12345";
const AGENT_KEY = "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-12ab-34cd-56ef-1234567890ab";
const BEDROCK_DECRYPT = {
  eventVersion: "1.11",
  userIdentity: { type: "AWSService", invokedBy: "bedrock.amazonaws.com" },
  eventTime: "2025-05-22T10:00:00Z",
  eventSource: "kms.amazonaws.com",
  eventName: "Decrypt",
  awsRegion: "us-east-1",
  sourceIPAddress: "bedrock.amazonaws.com",
  userAgent: "bedrock.amazonaws.com",
  requestParameters: {
    encryptionAlgorithm: "SYMMETRIC_DEFAULT",
    encryptionContext: { "aws:bedrock:arn": `arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345` },
  },
  responseElements: null,
  requestID: "0e1b5bd2-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
  eventID: "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c",
  readOnly: true,
  resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: AGENT_KEY }],
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "111122223333",
  sharedEventID: "11112222-3333-4444-5555-666677778888",
  eventCategory: "Management",
};
const VAULT = "arn:aws:bedrock-agentcore:us-east-1:111122223333:token-vault/default";
const VAULT_DECRYPT = {
  ...BEDROCK_DECRYPT,
  userIdentity: { type: "AWSService", invokedBy: "bedrock-agentcore-identity.amazonaws.com" },
  eventID: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
  requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { "aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn": VAULT } },
  resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: "arn:aws:kms:us-east-1:111122223333:key/vault000-12ab-34cd-56ef-1234567890ab" }],
};

const inventory = inventoryIndex([
  { arn: AGENT, kind: "bedrock-agent", key: { arn: AGENT_KEY, type: "customer" }, secrets: [] },
  { arn: "arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB1", kind: "knowledge-base", key: { arn: AGENT_KEY, type: "customer" }, secrets: [] },
  { arn: "arn:aws:bedrock-agentcore:us-west-2:111122223333:memory/orders", kind: "agentcore-memory", key: { arn: KEY, type: "customer" }, secrets: [] },
  { arn: VAULT, kind: "token-vault", key: { arn: "arn:aws:kms:us-east-1:111122223333:key/vault000-12ab-34cd-56ef-1234567890ab", type: "customer" }, secrets: [] },
  { arn: `${VAULT}/oauth2credentialprovider/salesforce`, kind: "oauth2-credential-provider", key: { arn: "", type: "aws-owned" }, secrets: [{ arn: SECRET_ARN }] },
]);
const secrets = secretIndex([{ arn: SECRET_ARN }]);

describe("normalizing documented CloudTrail records", () => {
  it("[1] Decrypt: key from resources, principal, encryption context; a key used by one resource is linked by key only", () => {
    const e = normalizeRecord(DECRYPT, secrets);
    expect(e).toMatchObject({
      eventName: "Decrypt",
      keyArn: KEY,
      principalArn: "arn:aws:iam::111122223333:user/Alice",
      principalType: "IAMUser",
      region: "us-west-2",
      account: "111122223333",
    });
    expect(e.encryptionContext).toEqual({ Department: "Engineering", Project: "Alpha" });
    expect(e.eventTime).toBe(Date.parse("2025-05-20T20:45:00Z"));
    expect(correlate(e, inventory)).toEqual({ resourceArn: "arn:aws:bedrock-agentcore:us-west-2:111122223333:memory/orders", correlation: "key only" });
  });

  it("[2] GenerateDataKey with a bare key id: the ARN comes from resources, in the key's own region", () => {
    expect(normalizeRecord(GENERATE, secrets).keyArn).toBe(KEY);
    const noResources = normalizeRecord({ ...GENERATE, resources: undefined }, secrets);
    expect(noResources.keyArn).toBe("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  });

  it("[3] Encrypt", () => {
    expect(normalizeRecord(ENCRYPT, secrets)).toMatchObject({ eventName: "Encrypt", keyArn: KEY, encryptionContext: { Department: "Engineering" } });
  });

  it("[4] an AccessDenied Decrypt without requestParameters or resources still lands on its key", () => {
    const e = normalizeRecord(DECRYPT_DENIED, secrets);
    expect(e).toMatchObject({ keyArn: KEY, errorCode: "AccessDenied", encryptionContext: undefined });
    expect(correlate(e, inventory).resourceArn).toBe("arn:aws:bedrock-agentcore:us-west-2:111122223333:memory/orders");
  });

  it("[5] GetSecretValue by name with the older aRN spelling: the secret's full ARN, its provider, the role behind the session", () => {
    const e = normalizeRecord(GET_SECRET, secrets);
    expect(e).toMatchObject({
      secretArn: SECRET_ARN,
      keyArn: undefined,
      principalArn: "arn:aws:iam::111122223333:role/AgentCoreIdentityRole",
      invokedBy: "bedrock-agentcore-identity.amazonaws.com",
    });
    expect(correlate(e, inventory)).toEqual({ resourceArn: `${VAULT}/oauth2credentialprovider/salesforce`, correlation: "secret" });
    // Without resources: a name, a partial ARN and a full ARN all become the secret's ARN.
    for (const secretId of ["salesforce-client", "arn:aws:secretsmanager:us-east-1:111122223333:secret:salesforce-client", SECRET_ARN]) {
      expect(normalizeRecord({ ...GET_SECRET, resources: undefined, requestParameters: { secretId } }, secrets).secretArn, secretId).toBe(SECRET_ARN);
    }
    expect(secretNameOf(SECRET_ARN)).toBe("salesforce-client");
  });

  it("[6] Bedrock as a service: the agent alias in the encryption context stands for its agent; the aws-crypto-ec: token-vault context", () => {
    const e = normalizeRecord(BEDROCK_DECRYPT, secrets);
    expect(e).toMatchObject({ principalType: "AWSService", principalArn: "bedrock.amazonaws.com", invokedBy: "bedrock.amazonaws.com", keyArn: AGENT_KEY });
    expect(correlate(e, inventory)).toEqual({ resourceArn: AGENT, correlation: "encryption context" });
    // No context: two resources use the key, the calling service picks the agent's kind... both are Bedrock: not linked.
    const bare = normalizeRecord({ ...BEDROCK_DECRYPT, requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" } }, secrets);
    expect(correlate(bare, inventory)).toEqual({});
    const v = normalizeRecord(VAULT_DECRYPT, secrets);
    expect(correlate(v, inventory)).toEqual({ resourceArn: VAULT, correlation: "encryption context" });
  });

  it("service + key: the calling service narrows the resources that use the key", () => {
    const idx = inventoryIndex([
      { arn: AGENT, kind: "bedrock-agent", key: { arn: AGENT_KEY, type: "customer" }, secrets: [] },
      { arn: "arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/m1", kind: "agentcore-memory", key: { arn: AGENT_KEY, type: "customer" }, secrets: [] },
    ]);
    const bare = normalizeRecord({ ...BEDROCK_DECRYPT, requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" } }, secrets);
    expect(correlate(bare, idx)).toEqual({ resourceArn: AGENT, correlation: "service + key" });
  });
});
