// Test helper: point the SDK clients at a sandbox through the standard environment variables.
import type { RunningSandbox } from "../../sandbox/index";

export function pointSdkAtSandbox(sb: RunningSandbox): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: sb.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
    AWS_REGION: sb.region,
    KEYWARD_AWS_MAX_ATTEMPTS: "1",
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return () => {
    process.env = saved;
  };
}
