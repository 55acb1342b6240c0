// Validates answers against the schemas an OpenAPI 3.0 document declares for them (ajv).
//   node openapi_validate.js DOC.json CASES.json
// CASES.json: [{"method": "get", "path": "/api/recommendations/{uid}", "url": "/api/...",
//               "status": 200, "body": <the parsed JSON answer, or null for none>}, ...]
// A case fails when the document declares no such status for that operation, when it declares
// a JSON body and the answer has none (or the other way round), or when the body does not match.
// Prints one line per failure and a summary; exits 1 when any case failed.
"use strict";
const fs = require("fs");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const [docFile, casesFile] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docFile, "utf8"));
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));

// strict: false because OpenAPI schemas carry keywords JSON Schema does not know (example);
// ajv implements OpenAPI's `nullable` itself.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("binary", true);

const compiled = new Map();
function validator(schema) {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) {
    // The components travel with every schema so that #/components/schemas/... resolves.
    compiled.set(key, ajv.compile({ components: doc.components, allOf: [schema] }));
  }
  return compiled.get(key);
}

let failed = 0;
const bySchema = {};
for (const c of cases) {
  const where = `${c.method.toUpperCase()} ${c.url} -> ${c.status}`;
  const fail = (why) => {
    failed++;
    console.log(`FAIL ${where}: ${why}`);
  };
  const op = (doc.paths[c.path] || {})[c.method];
  if (!op) {
    fail(`the document has no operation ${c.method} ${c.path}`);
    continue;
  }
  const res = op.responses[String(c.status)];
  if (!res) {
    fail(`status ${c.status} is not declared (declared: ${Object.keys(op.responses).join(", ")})`);
    continue;
  }
  const media = res.content && res.content["application/json"];
  if (!media) {
    if (c.body !== null) fail("a JSON body was answered where the document declares none");
    continue;
  }
  if (c.body === null) {
    fail("no JSON body was answered where the document declares one");
    continue;
  }
  const validate = validator(media.schema);
  if (!validate(c.body)) {
    const errs = validate.errors.slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}` +
        (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""));
    fail(errs.join("; "));
    continue;
  }
  const name = media.schema.$ref ? media.schema.$ref.split("/").pop() : "(inline)";
  bySchema[name] = (bySchema[name] || 0) + 1;
}
console.log(`${cases.length - failed} of ${cases.length} answers match their declared schema`);
console.log("validated per schema: " + JSON.stringify(bySchema));
process.exit(failed ? 1 : 0);
