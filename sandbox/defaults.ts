// The sandbox's well-known identity: what `npm run sandbox` prints and every test signs with.
export const DEFAULT_ACCESS_KEY_ID = "AKIAKEYWARDSANDBOX01";
export const DEFAULT_SECRET_ACCESS_KEY = "keyward-sandbox-secret";
export const DEFAULT_ACCOUNT = "111122223333";
export const DEFAULT_REGIONS = ["us-east-1", "eu-west-1"];
export const DEFAULT_PORT = 4599;
