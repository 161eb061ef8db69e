// The air-gapped checklist (docs/air-gapped.md) names exactly what the locked packages need:
// the CLI version the `pulumi` npm package installs, every provider plugin an @pulumi package
// of package.json names (with its version and its install line), and the docker tarball's pin.
import * as fs from "node:fs";
import * as path from "node:path";
import { pinnedDockerSha256 } from "../../../components/config/pins";
import { SCHEMA } from "../../../components/config/schema";
import { releaseArchive } from "../../../scripts/pulumi/cli-source";
import { commandsOf, documentationFiles, shellBlocks } from "../../support/doc-commands";
import { REPO_ROOT } from "../../support/stack-config";

const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "air-gapped.md"), "utf8");
const pkg = require(path.join(REPO_ROOT, "package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const commands = shellBlocks("docs/air-gapped.md").flatMap(commandsOf).map((command) => command.words.join(" "));

/** The resource plugins the program's packages need: each @pulumi dependency's plugin as its pulumi-plugin.json or package.json names it. */
function requiredPlugins(): { name: string; version: string }[] {
  return Object.keys(pkg.dependencies)
    .filter((dependency) => dependency.startsWith("@pulumi/"))
    .map((dependency) => {
      const dir = path.join(REPO_ROOT, "node_modules", dependency);
      const pluginFile = path.join(dir, "pulumi-plugin.json");
      const plugin = fs.existsSync(pluginFile) ? JSON.parse(fs.readFileSync(pluginFile, "utf8")) : JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).pulumi;
      return plugin?.resource ? { name: plugin.name as string, version: plugin.version as string } : undefined;
    })
    .filter((plugin): plugin is { name: string; version: string } => plugin !== undefined);
}

test("the program needs the docker, command and kubernetes plugins", () => {
  expect(requiredPlugins().map((plugin) => plugin.name).sort()).toEqual(["command", "docker", "kubernetes"]);
});

test.each(requiredPlugins())("the checklist names the $name plugin at $version, with its archive, download and install lines", ({ name, version }) => {
  const archive = `pulumi-resource-${name}-v${version}-linux-amd64.tar.gz`;
  expect(doc).toContain(`| ${name} | ${version} | \`${archive}\` |`);
  expect(commands).toContain(`curl -fLO https://get.pulumi.com/releases/plugins/${archive}`);
  expect(commands).toContain(`npm run pulumi -- plugin install resource ${name} ${version} --file ${archive}`);
});

test("no plugin line names another plugin or version than the packages need", () => {
  const named = [...doc.matchAll(/pulumi-resource-([a-z]+)-v([\d.]+)-linux-amd64/g)].map((match) => `${match[1]}@${match[2]}`);
  expect(new Set(named)).toEqual(new Set(requiredPlugins().map((plugin) => `${plugin.name}@${plugin.version}`)));
});

test("the CLI archive and the folder it goes to are those of the version the pulumi npm package installs", () => {
  const version = pkg.devDependencies.pulumi;
  const archive = releaseArchive(version, "linux", "x64");
  expect(commands).toContain(`curl -fLO https://get.pulumi.com/releases/sdk/${archive}`);
  expect(commands).toContain(`mkdir -p ~/.pulumi/versions/${version}/bin`);
  expect(commands).toContain(`tar -xzf ${archive} --strip-components=1 -C ~/.pulumi/versions/${version}/bin`);
});

test("the docker tarball and its sha256 are the default version's pin", () => {
  const dockerVersion = SCHEMA.shape.dindImage.parse(undefined).dockerVersion;
  expect(commands).toContain(`curl -fLO https://download.docker.com/linux/static/stable/x86_64/docker-${dockerVersion}.tgz`);
  expect(doc).toContain(`\`${pinnedDockerSha256(dockerVersion, "x86_64")}\``);
});

test("no doc says that npm ci brings the CLI: it brings an installer, and the CLI downloads on first use", () => {
  for (const file of documentationFiles()) {
    expect({ file, claim: /npm ci`? (brings|installs) the (Pulumi )?CLI/i.exec(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"))?.[0] }).toEqual({ file, claim: undefined });
  }
  expect(fs.readFileSync(path.join(REPO_ROOT, "docs", "cli.md"), "utf8")).toContain("**It is an installer,\nnot the CLI.**");
});
