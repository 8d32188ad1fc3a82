#!/usr/bin/env node
// `npm run lock:fix`: the npm registry these machines reach does not serve every platform build of
// some packages (Next.js SWC, Tailwind's oxide, resolver bindings for other operating systems), so
// `npm install` writes a lockfile whose optional-dependency edges point at packages it could not
// record, and `npm ci` then refuses the lockfile. This drops exactly those dangling optional edges;
// the packages for this platform stay locked. Run it after `npm install`; `npm test` checks it.
import { readFileSync, writeFileSync } from "node:fs";

export function danglingOptionalEdges(lock) {
  const pk = lock.packages ?? {};
  const out = [];
  for (const [path, entry] of Object.entries(pk)) {
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
      let base = path;
      let found = false;
      for (;;) {
        if (pk[`${base ? `${base}/` : ""}node_modules/${dep}`]) {
          found = true;
          break;
        }
        if (base === "") break;
        const i = base.lastIndexOf("/node_modules/");
        base = i >= 0 ? base.slice(0, i) : "";
      }
      if (!found) out.push([path, dep]);
    }
  }
  return out;
}

export function fixLockfile(file = "package-lock.json") {
  const lock = JSON.parse(readFileSync(file, "utf8"));
  const dangling = danglingOptionalEdges(lock);
  for (const [path, dep] of dangling) {
    const entry = lock.packages[path];
    delete entry.optionalDependencies[dep];
    if (!Object.keys(entry.optionalDependencies).length) delete entry.optionalDependencies;
  }
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  return dangling.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = fixLockfile(process.argv[2]);
  console.log(`package-lock.json: removed ${n} optional dependency edge${n === 1 ? "" : "s"} to packages the registry does not serve`);
}
