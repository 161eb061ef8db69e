import { z } from "zod";
import { isSecretCapable } from "./kinds";
import { NAMESPACE, SCHEMA, SECRET_KEYS } from "./schema";
import { docOf } from "./words";

/** How a secret is written in a stack file: the ciphertext `pulumi config set --secret` stores. */
const secureValue = z.strictObject({ secure: z.string().min(1).describe("Ciphertext written by `pulumi config set --secret`.") });

/** The `dind-stack:` keys this project knows, with the schema of each as written in a stack file. */
function namespaceKeys(): Record<string, z.ZodType> {
  return Object.fromEntries(
    Object.entries(SCHEMA.shape).map(([name, schema]) => {
      const inFile = (SECRET_KEYS as readonly string[]).includes(name) ? secureValue.optional().describe(docOf(schema) ?? "") : schema;
      return [`${NAMESPACE}:${name}`, inFile];
    }),
  );
}

/**
 * A stack file, stacks/Pulumi.<stack>.yaml, checked by the same zod schema the program parses
 * its config with: secrets appear as `{secure: ...}`, other namespaces (e.g. `docker:host`) are
 * left alone, and a `dind-stack:` key the project does not know is refused.
 */
export function stackFileSchema() {
  const keys = namespaceKeys();
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const knownOrForeign = new RegExp(`^(?:${Object.keys(keys).map(escape).join("|")}|(?!${escape(NAMESPACE)}:)[^:]+:.+)$`);
  const configKey = z.string().regex(knownOrForeign).describe(`A config key: namespace:name; in the ${NAMESPACE} namespace only the keys this project knows.`);
  return z
    .strictObject({
      config: z
        .intersection(z.looseObject(keys), z.record(configKey, z.unknown()))
        .optional()
        .describe("The stack's configuration: `<namespace>:<key>` to a value."),
      encryptionsalt: z.string().optional().describe("Salt of the passphrase secrets provider (written by Pulumi)."),
      secretsprovider: z.string().optional().describe("Secrets provider of the stack (written by Pulumi)."),
      encryptedkey: z.string().optional().describe("Data key encrypted by a cloud secrets provider (written by Pulumi)."),
      environment: z.array(z.string()).optional().describe("Pulumi ESC environments the stack imports."),
    })
    .describe(`A ${NAMESPACE} stack file (stacks/Pulumi.<stack>.yaml).`);
}

/** Where the JSON Schema of stack files is committed, relative to the project root. */
export const STACK_SCHEMA_FILE = "schema/stack-config.schema.json";

/** The JSON Schema of a stack file (draft 2020-12), as it is committed for editors and validators. */
export function stackFileJsonText(): string {
  const secure = z.toJSONSchema(secureValue, { io: "input" });
  delete secure.$schema;
  const jsonSchema = z.toJSONSchema(stackFileSchema(), {
    io: "input",
    // A value the program keeps secret wherever it lands (a client's env value or command) may
    // be stored encrypted, as `pulumi config set --secret --path` writes it.
    override: (context) => {
      if (!isSecretCapable(context.zodSchema)) return;
      const plain = { ...context.jsonSchema };
      for (const field of Object.keys(context.jsonSchema)) delete (context.jsonSchema as Record<string, unknown>)[field];
      context.jsonSchema.anyOf = [plain, secure];
    },
  });
  return `${JSON.stringify(jsonSchema, null, 2)}\n`;
}
