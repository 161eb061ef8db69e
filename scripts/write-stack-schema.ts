// Writes schema/stack-config.schema.json, the JSON Schema that stacks/Pulumi.<stack>.yaml
// reference for editors (a unit test keeps the file identical to what this writes).
import * as fs from "node:fs";
import * as path from "node:path";
import { STACK_SCHEMA_FILE, stackFileJsonText } from "../components/config/stack-file-schema";

const target = path.join(__dirname, "..", STACK_SCHEMA_FILE);
fs.writeFileSync(target, stackFileJsonText());
console.log(`wrote ${target}`);
