// Known security advisories of the static Docker binaries the DinD image is built from. Pure
// data and pure functions: the program warns with them (dind-image.ts), the config refuses with
// them when the stack asks (config/advisory-rules.ts), and the policy pack reports them
// (policy/checks/engine-advisories.ts). This is the project's watch list, not a complete feed:
// docs/advisories.md says how it is kept and where the full list is.

/** One advisory: a CVE in a component of the Docker static tarball and the releases that fix it. */
export interface EngineAdvisory {
  /** CVE identifier. */
  cve: string;
  /** The component of the tarball it is in: runc, BuildKit (built into dockerd) or the Engine itself. */
  component: "runc" | "BuildKit" | "Engine";
  /** Severity as the release notes give it. */
  severity: string;
  /** What an attacker gets, in a few words. */
  impact: string;
  /**
   * The first fixed release of each release line (major.minor) that got a fix, ascending. A
   * version is affected when it is older than the fix of its own line, or when its line got no
   * fix and is older than the newest fixed line; lines newer than that were never affected.
   */
  fixedIn: readonly string[];
  /** Where the affected and fixed versions come from. */
  source: string;
}

const RELEASE_NOTES_24_0_9 = "https://github.com/moby/moby/releases/tag/v24.0.9";
const RELEASE_NOTES_25_0_2 = "https://docs.docker.com/engine/release-notes/25.0/#2502";

/** The advisories the project tracks (verified against moby's release notes of v24.0.9 and v25.0.2 and the advisories they link). */
export const ENGINE_ADVISORIES: readonly EngineAdvisory[] = [
  {
    cve: "CVE-2024-21626",
    component: "runc",
    severity: "High, CVSS 8.6",
    impact: "a leaked file descriptor lets a container or an image escape to the host",
    fixedIn: ["24.0.9", "25.0.2"],
    source: `${RELEASE_NOTES_24_0_9}, ${RELEASE_NOTES_25_0_2}, https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv`,
  },
  {
    cve: "CVE-2024-24557",
    component: "Engine",
    severity: "Medium, CVSS 6.9",
    impact: "the classic builder's cache can be poisoned by a crafted image",
    fixedIn: ["23.0.10", "24.0.9", "25.0.2"],
    source: `${RELEASE_NOTES_24_0_9}, ${RELEASE_NOTES_25_0_2}, https://github.com/moby/moby/security/advisories/GHSA-xw73-rw38-6vjc`,
  },
  {
    cve: "CVE-2024-23651",
    component: "BuildKit",
    severity: "High, CVSS 8.7",
    impact: "a race in cache mounts lets a build reach files of the host",
    fixedIn: ["25.0.2"],
    source: `${RELEASE_NOTES_25_0_2}, https://github.com/moby/buildkit/security/advisories/GHSA-m3r6-h7wv-7xxv`,
  },
  {
    cve: "CVE-2024-23652",
    component: "BuildKit",
    severity: "High, CVSS 8.7",
    impact: "a build can delete files outside its container",
    fixedIn: ["25.0.2"],
    source: `${RELEASE_NOTES_25_0_2}, https://github.com/moby/buildkit/security/advisories/GHSA-4v98-7qmw-rqr8`,
  },
  {
    cve: "CVE-2024-23653",
    component: "BuildKit",
    severity: "High, CVSS 7.7",
    impact: "a build frontend can run containers with elevated privileges without the entitlement",
    fixedIn: ["25.0.2"],
    source: `${RELEASE_NOTES_25_0_2}, https://github.com/moby/buildkit/security/advisories/GHSA-wr6v-9f75-vh2g`,
  },
  {
    cve: "CVE-2024-23650",
    component: "BuildKit",
    severity: "Medium, CVSS 5.5",
    impact: "a malicious build frontend or client can crash the daemon",
    fixedIn: ["25.0.2"],
    source: `${RELEASE_NOTES_25_0_2}, https://github.com/moby/buildkit/security/advisories/GHSA-9p26-698r-w4hx`,
  },
];

/** A version as numbers, and its suffix: `-rc.1` (a pre-release, before the release) or `-2` (a re-packaging, after it). */
function parts(version: string): { numbers: number[]; suffix: string } {
  const [core, ...rest] = version.split("-");
  return { numbers: core.split(".").map(Number), suffix: rest.join("-") };
}

/** Orders two Docker release versions (`24.0.6`, `25.0.0-rc.1`); negative when `a` is older. */
export function compareVersions(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  for (let index = 0; index < 3; index++) {
    const difference = (left.numbers[index] ?? 0) - (right.numbers[index] ?? 0);
    if (difference !== 0) return difference;
  }
  const rank = (suffix: string) => (suffix === "" ? 1 : /^\d/.test(suffix) ? 2 : 0);
  return rank(left.suffix) - rank(right.suffix) || left.suffix.localeCompare(right.suffix, "en", { numeric: true });
}

const lineOf = (version: string) => parts(version).numbers.slice(0, 2).join(".");

/** The release that fixes `advisory` for `version`, or undefined when `version` is not affected. */
export function fixFor(advisory: EngineAdvisory, version: string): string | undefined {
  const ownLine = advisory.fixedIn.find((fixed) => lineOf(fixed) === lineOf(version));
  if (ownLine !== undefined) return compareVersions(version, ownLine) < 0 ? ownLine : undefined;
  return advisory.fixedIn.find((fixed) => compareVersions(version, fixed) < 0);
}

/** An advisory that affects a version, with the release that fixes it there. */
export interface AffectingAdvisory {
  /** The advisory. */
  advisory: EngineAdvisory;
  /** The nearest release that fixes it: in the version's own line when that line got a fix. */
  fixedIn: string;
}

/** The advisories of the table that affect a Docker version (none for a version the table knows as fixed). */
export function advisoriesFor(version: string, table: readonly EngineAdvisory[] = ENGINE_ADVISORIES): AffectingAdvisory[] {
  return table.flatMap((advisory) => {
    const fixedIn = fixFor(advisory, version);
    return fixedIn === undefined ? [] : [{ advisory, fixedIn }];
  });
}

/**
 * What to say about a version's advisories: each CVE with its component, severity and fix, and
 * the oldest release that fixes all of them; undefined when none affects it.
 */
export function describeAdvisories(version: string, affecting: readonly AffectingAdvisory[] = advisoriesFor(version)): string | undefined {
  if (affecting.length === 0) return undefined;
  const each = affecting.map(({ advisory, fixedIn }) => `${advisory.cve} (${advisory.component}, ${advisory.severity}: ${advisory.impact}; fixed in ${fixedIn})`);
  const fixesAll = affecting.map((entry) => entry.fixedIn).reduce((newest, fixed) => (compareVersions(fixed, newest) > 0 ? fixed : newest));
  return `docker ${version} has known security advisories: ${each.join("; ")}. Docker ${fixesAll} or later fixes all of them (see docs/advisories.md)`;
}
