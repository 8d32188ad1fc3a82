import "server-only";

// The setup routes' shared steps: build a plan from a request (with the last scan's roles for the
// lint) and turn plan errors into HTTP errors.
import type { KeywardConfigData } from "../config/schema";
import { HttpError } from "../server/with-auth";

import { buildPlan, PlanError, scannedRoles } from "./plan";
import type { SetupPlan, SetupRequest } from "./types.shared";

export async function planFor(cfg: KeywardConfigData, request: SetupRequest): Promise<SetupPlan> {
  try {
    return await buildPlan(cfg, request, { roles: scannedRoles(cfg) });
  } catch (e) {
    if (e instanceof PlanError) throw new HttpError(e.status, e.message);
    throw e;
  }
}
