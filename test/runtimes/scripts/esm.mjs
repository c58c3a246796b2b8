// Runs in the scratch project where the packed imgmeta is installed (see test/runtimes/setup.ts): every
// entry point imported as a user would, the conformance table's cases through them, the report on stdout.
import { readFileSync } from "node:fs";
import process from "node:process";
import * as imgmeta from "imgmeta";
import * as integrations from "imgmeta/integrations";
import * as sql from "imgmeta/sql";
import * as server from "imgmeta/server";
import { report } from "./harness.mjs";

const files = JSON.parse(readFileSync(new URL("./table.json", import.meta.url), "utf8"));
const result = await report({ imgmeta, "imgmeta/integrations": integrations, "imgmeta/sql": sql, "imgmeta/server": server }, files);
process.stdout.write(JSON.stringify(result));
