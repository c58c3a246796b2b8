import type { FieldSchema } from "../../src/index.js";

/** The field schema of the search-box tests: an enum, a number, a dotted path, a boolean, a name with a space. */
export const fields: FieldSchema = {
  status: { type: "string", values: ["active", "pending"], description: "review state" },
  priority: "number",
  "region.name": { type: "string", values: ["eu-west", "us-east"] },
  enabled: "boolean",
  "my key": "string",
};
