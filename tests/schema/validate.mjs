// Validates protocol files against schemas/kap.protocol-1.schema.json with Ajv, an independent
// JSON Schema validator. Every file given as "good" must pass; every "bad" one must fail.
// Usage: node validate.mjs SCHEMA --good FILE... --bad FILE...
import Ajv from "ajv";
import { readFileSync } from "node:fs";

const [schemaPath, ...rest] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
let mode = null;
let failed = 0;
let checked = 0;
for (const arg of rest) {
  if (arg === "--good" || arg === "--bad") { mode = arg; continue; }
  const ok = validate(JSON.parse(readFileSync(arg, "utf8")));
  checked++;
  if (mode === "--good" && !ok) {
    failed++;
    console.error(`FAIL ${arg}: ${ajv.errorsText(validate.errors)}`);
  } else if (mode === "--bad" && ok) {
    failed++;
    console.error(`FAIL ${arg}: the schema accepted a file it must reject`);
  } else {
    console.log(`ok   ${arg}${ok ? "" : " (rejected: " + ajv.errorsText(validate.errors) + ")"}`);
  }
}
if (checked === 0) { console.error("no files checked"); process.exit(1); }
process.exit(failed ? 1 : 0);
