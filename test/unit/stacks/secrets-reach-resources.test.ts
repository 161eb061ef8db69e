import { RecordedResource, runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

const password = "registry-pass-0a1b2c";
const proxyPassword = "upstream-pass-3d4e5f";

/** Paths (as `secretPaths` writes them) of the inputs whose text contains `needle`. */
function pathsContaining(value: unknown, needle: string, prefix = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [prefix.replace(/\.$/, "")] : [];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, inner]) => pathsContaining(inner, needle, `${prefix}${key}.`));
  return [];
}

/** Where `needle` reaches a resource's inputs outside a secret. */
function plainOccurrences(resources: RecordedResource[], needle: string): { found: number; plain: string[] } {
  let found = 0;
  const plain: string[] = [];
  for (const resource of resources) {
    for (const path of pathsContaining(resource.inputs, needle)) {
      found++;
      const covered = resource.secretPaths.some((secret) => path === secret || path.startsWith(`${secret}.`));
      if (!covered) plain.push(`${resource.name}: ${path}`);
    }
  }
  return { found, plain };
}

test("passwords reach resources only as Pulumi secrets", async () => {
  const config = withOverrides(stackConfig("ci"), {
    "dind-stack:registry": { auth: { username: "builder" }, proxy: { remoteUrl: "https://mirror.example", username: "pull" } },
    "dind-stack:registryPassword": password,
    "dind-stack:registryProxyPassword": proxyPassword,
  });
  const run = await runProgram("ci", config, ["dind-stack:registryPassword", "dind-stack:registryProxyPassword"]);
  // The registry password reaches the clients inside a Docker config (base64 of user:password);
  // the upstream password reaches the registry as it is.
  for (const needle of [Buffer.from(`builder:${password}`).toString("base64"), proxyPassword]) {
    const { found, plain } = plainOccurrences(run.resources, needle);
    expect(found).toBeGreaterThan(0);
    expect(plain).toEqual([]);
  }
  expect(plainOccurrences(run.resources, password).plain).toEqual([]);
});
