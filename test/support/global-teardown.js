// Removes the run's temporary folder made by global-setup.js.
const fs = require("node:fs");

module.exports = async function globalTeardown() {
  const runDir = globalThis.__ARBOT_TEST_RUN_DIR__;
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
};
