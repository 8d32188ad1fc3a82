// Test-suite helpers that register vitest hooks (kept apart from index.ts, which benchmarks import too).
import { afterAll, beforeAll } from "vitest";

import { pointSdkAtMoto, startMoto, type Moto } from "./index";

/**
 * In a describe block: moto server started before its tests (hooks registered after this run after
 * it) with the SDK pointed at it, stopped after them. Returns a getter for the running server.
 */
export function withMoto(): () => Moto {
  let moto: Moto | undefined;
  let restore: () => void = () => undefined;
  beforeAll(async () => {
    moto = await startMoto();
    restore = pointSdkAtMoto(moto);
  });
  afterAll(async () => {
    restore();
    await moto?.stop();
  });
  return () => moto!;
}
