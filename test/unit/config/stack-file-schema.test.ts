import * as fs from "node:fs";
import * as path from "node:path";
import { STACK_SCHEMA_FILE, stackFileJsonText } from "../../../components/config/stack-file-schema";
import { REPO_ROOT, stackNames } from "../../support/stack-config";
import { committedStackSchema as committed, schemaComplaints as complaints } from "../../support/stack-file-validator";

const stackFile = (stack: string) => fs.readFileSync(path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8");

test("the committed JSON Schema is the one generated from the zod schema", () => {
  // Regenerate with `npx ts-node scripts/write-stack-schema.ts`.
  expect(committed).toBe(stackFileJsonText());
});

describe.each(stackNames())("stacks/Pulumi.%s.yaml", (stack) => {
  test("points editors at the committed JSON Schema", () => {
    const comment = /^# yaml-language-server: \$schema=(\S+)$/m.exec(stackFile(stack));
    expect(comment).not.toBeNull();
    expect(path.resolve(REPO_ROOT, "stacks", comment![1])).toBe(path.join(REPO_ROOT, STACK_SCHEMA_FILE));
  });

  test("is valid against it", () => {
    expect(complaints(stackFile(stack))).toEqual([]);
  });
});

test("a stack file with encrypted secrets, Pulumi's own keys, another namespace and --path strings is valid", () => {
  const text = `
encryptionsalt: v1:abc:def
config:
  docker:host: unix:///var/run/docker.sock
  dind-stack:registry:
    port: "5002"
    retainDataOnDelete: "false"
    auth:
      username: builder
  dind-stack:registryPassword:
    secure: v1:c2VjcmV0:bm9uY2U=
`;
  expect(complaints(text)).toEqual([]);
});

test("a client's env value and command words may be stored encrypted (pulumi config set --secret --path); its name may not", () => {
  const text = (name: string) => `
config:
  dind-stack:workloads:
    clients:
      - name: ${name}
        env:
          RUNNER_TOKEN:
            secure: v1:dG9rZW4=:bm9uY2U=
        command:
          - register
          - secure: v1:dG9rZW4y:bm9uY2U=
`;
  expect(complaints(text("runner"))).toEqual([]);
  expect(complaints(text("\n          secure: v1:bmFtZQ==:bm9uY2U="))).not.toEqual([]);
});

test.each([
  ["an unknown dind-stack key", "dind-stack:registy:\n    port: 5000", "/config property name must be valid (dind-stack:registy)"],
  ["an unknown nested key", "dind-stack:daemon:\n    tsl: true", "/config/dind-stack:daemon must NOT have additional properties"],
  ["a port out of range", "dind-stack:registry:\n    port: 70000", "/config/dind-stack:registry/port must be <= 65535"],
  ["a secret in plain text", "dind-stack:registryPassword: hunter2hunter2", "/config/dind-stack:registryPassword must be object"],
  ["a bind address that is a name", "dind-stack:registry:\n    bindAddress: localhost", "/config/dind-stack:registry/bindAddress must match pattern"],
  ["an empty client command", "dind-stack:workloads:\n    clients:\n      - name: runner\n        command: []", "/config/dind-stack:workloads/clients/0/command must NOT have fewer than 1 items"],
  ["a mode typo", "dind-stack:mode: dinD", "/config/dind-stack:mode must be equal to one of the allowed values"],
  ["an untagged registry image", "dind-stack:registry:\n    image: registry", "/config/dind-stack:registry/image must match pattern"],
  ["a client image on latest", "dind-stack:workloads:\n    clients:\n      - name: runner\n        image: alpine:latest", "/config/dind-stack:workloads/clients/0/image must match pattern"],
  ["a DinD image tagged latest", "dind-stack:dindImage:\n    tag: latest", "/config/dind-stack:dindImage/tag must match pattern"],
])("%s is refused", (_title, entry, expected) => {
  const found = complaints(`config:\n  ${entry}\n`);
  expect(found.some((line) => line.startsWith(expected))).toBe(true);
});

test("an unknown top-level key is refused", () => {
  expect(complaints("config: {}\nconfig-typo: {}\n")).toContain("/ must NOT have additional properties");
});
