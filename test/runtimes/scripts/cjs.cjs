// The same as esm.mjs through require(): the package's CommonJS build.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const process = require("node:process");
const { report } = require("./harness.cjs");

const entries = {
  imgmeta: require("imgmeta"),
  "imgmeta/integrations": require("imgmeta/integrations"),
  "imgmeta/sql": require("imgmeta/sql"),
  "imgmeta/server": require("imgmeta/server"),
};
report(entries, JSON.parse(readFileSync(join(__dirname, "table.json"), "utf8"))).then((result) => process.stdout.write(JSON.stringify(result)));
