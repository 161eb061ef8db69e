import * as path from "node:path";

/** The parts of the `pulumi` npm package (the official CLI installer, pinned in devDependencies) this project uses. */
interface NpmPulumiPackage {
  /** Resolves the CLI binary of the package's version, downloading it into PULUMI_HOME when absent. */
  resolve: () => Promise<string>;
  /** The folder a version is installed in: `$PULUMI_HOME/versions/<version>` (~/.pulumi without PULUMI_HOME). */
  cacheDir: (version: string) => string;
  /** The CLI version, which is the package's version. */
  version: string;
}

/** The `pulumi` npm package's installer, loaded from node_modules. */
export function npmPulumiPackage(): NpmPulumiPackage {
  const { resolve } = require("pulumi/lib/resolve") as { resolve: () => Promise<string> };
  const { cacheDir } = require("pulumi/lib/cache") as { cacheDir: (version: string) => string };
  const { version } = require("pulumi/package.json") as { version: string };
  return { resolve, cacheDir, version };
}

/** Where the pinned CLI binary is (or will be) in PULUMI_HOME. */
export function pinnedBinaryPath(pkg: Pick<NpmPulumiPackage, "cacheDir" | "version">): string {
  return path.join(pkg.cacheDir(pkg.version), "bin", process.platform === "win32" ? "pulumi.exe" : "pulumi");
}
