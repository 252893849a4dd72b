#!/usr/bin/env node
// The compiled program lives in dist/ (built by `npm ci` through the prepare script).
import("../dist/src/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/src/cli.js")) {
    console.error("verso is not built yet: run `npm run build` (npm ci does it for you).");
    process.exit(1);
  }
  throw error;
});
