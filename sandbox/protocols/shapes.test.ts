import * as KMS from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";

import { buildServiceModel } from "./model";
import { missingRequired, validateValue } from "./shapes";

const model = buildServiceModel({ id: "kms", signingName: "kms", protocol: "awsJson1_1", module: KMS, clientCtor: KMS.KMSClient as never });

describe("service models from the SDK schemas", () => {
  it("carries operations, error statuses and protocol settings", () => {
    expect(model.operations.has("DescribeKey")).toBe(true);
    expect(model.target).toBe("TrentService");
    expect(model.errors.get("NotFoundException")?.status).toBe(404);
  });
});

describe("output validation", () => {
  const out = model.operations.get("DescribeKey")!.output;
  it("accepts a conforming response", () => {
    expect(validateValue(out, { KeyMetadata: { KeyId: "k", CreationDate: new Date(), Enabled: true } })).toEqual([]);
  });
  it("flags unknown members, missing required members and wrong types", () => {
    expect(validateValue(out, { KeyMetadata: { KeyId: "k", Bogus: 1 } })).toContain("$.KeyMetadata.Bogus: unknown member");
    expect(validateValue(out, { KeyMetadata: { Enabled: true } })).toContain("$.KeyMetadata.KeyId: required member missing");
    expect(validateValue(out, { KeyMetadata: { KeyId: "k", CreationDate: "yesterday" } })).toContain("$.KeyMetadata.CreationDate: not a Date");
  });
  it("finds required input members at any depth", () => {
    const ct = model.operations.get("CreateKey")!.input;
    expect(missingRequired(ct, { Tags: [{ TagKey: "a" }] })).toEqual(["Tags[0].TagValue"]);
  });
});
