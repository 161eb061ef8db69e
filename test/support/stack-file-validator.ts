import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import * as yaml from "js-yaml";
import { STACK_SCHEMA_FILE } from "../../components/config/stack-file-schema";
import { REPO_ROOT } from "./stack-config";

/** The committed JSON Schema of stack files, as text. */
export const committedStackSchema = fs.readFileSync(path.join(REPO_ROOT, STACK_SCHEMA_FILE), "utf8");

// Zod writes a `pattern` next to each of these formats (ipv4 and ipv6 are standard, cidrv4 and
// cidrv6 are zod's own); the patterns do the checking, as they do in editors.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, formats: { ipv4: true, ipv6: true, cidrv4: true, cidrv6: true } });
const validate = ajv.compile(JSON.parse(committedStackSchema));

/** What an editor that follows the committed JSON Schema says about a stack file (its YAML text); empty when it is valid. */
export function schemaComplaints(text: string): string[] {
  if (validate(yaml.load(text))) return [];
  return (validate.errors ?? []).map((error) => {
    const name = error.params.propertyName === undefined ? "" : ` (${error.params.propertyName})`;
    return `${error.instancePath || "/"} ${error.message}${name}`;
  });
}
