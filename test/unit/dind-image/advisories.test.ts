import { advisoriesFor, compareVersions } from "../../../components/dind-image/advisories";
import { parse, problemLines } from "../../support/config-problems";

const cvesOf = (version: string) => advisoriesFor(version).map(({ advisory, fixedIn }) => `${advisory.cve} ${fixedIn}`);
const BUILDKIT = ["CVE-2024-23651 25.0.2", "CVE-2024-23652 25.0.2", "CVE-2024-23653 25.0.2", "CVE-2024-23650 25.0.2"];

describe("which releases the table knows as affected, and what fixes them", () => {
  test("24.0.6, the default: the runc escape and the Engine cache poisoning (fixed in 24.0.9) and BuildKit's four (fixed only in 25.0.2)", () => {
    expect(cvesOf("24.0.6")).toEqual(["CVE-2024-21626 24.0.9", "CVE-2024-24557 24.0.9", ...BUILDKIT]);
  });

  test("24.0.9 keeps only the BuildKit advisories; 25.0.0 and 25.0.1 have all of them; 25.0.2 and later, and newer lines, none", () => {
    expect(cvesOf("24.0.9")).toEqual(BUILDKIT);
    expect(cvesOf("25.0.1")).toEqual(["CVE-2024-21626 25.0.2", "CVE-2024-24557 25.0.2", ...BUILDKIT]);
    for (const fixed of ["25.0.2", "25.0.5", "26.0.0", "27.5.1"]) expect(cvesOf(fixed)).toEqual([]);
  });

  test("an older line: fixed where it got a fix of its own (23.0.10), else by the next fixed release", () => {
    expect(cvesOf("23.0.6")).toEqual(["CVE-2024-21626 24.0.9", "CVE-2024-24557 23.0.10", ...BUILDKIT]);
    expect(cvesOf("20.10.24")).toContain("CVE-2024-24557 23.0.10");
  });

  test("a release candidate comes before its release; a re-packaging after it", () => {
    expect(compareVersions("25.0.2-rc.1", "25.0.2")).toBeLessThan(0);
    expect(compareVersions("25.0.2-1", "25.0.2")).toBeGreaterThan(0);
    expect(cvesOf("25.0.2-rc.1")).toHaveLength(6);
    expect(compareVersions("24.0.10", "24.0.9")).toBeGreaterThan(0);
  });
});

describe("dindImage.advisories: refuse", () => {
  test("an affected version is refused before anything is declared, naming the key, the value, the CVEs and the fix", () => {
    const [line, ...others] = problemLines({ dindImage: { advisories: "refuse" } });
    expect(others).toEqual([]);
    expect(line).toMatch(/^dind-stack:dindImage\.dockerVersion: got "24\.0\.6"; allowed with dind-stack:dindImage\.advisories "refuse": a release without known advisories\./);
    expect(line).toContain("CVE-2024-21626");
    expect(line).toContain("Docker 25.0.2 or later fixes all of them");
  });

  test("24.0.9 is still refused (BuildKit); a fixed release passes; a prebuilt cluster image is not built, so not judged by its dockerVersion", () => {
    expect(problemLines({ dindImage: { dockerVersion: "24.0.9", advisories: "refuse" } })).toEqual([expect.stringMatching(/CVE-2024-23651.*fixed in 25\.0\.2/)]);
    expect(parse({ dindImage: { dockerVersion: "25.0.5", sha256: "d".repeat(64), advisories: "refuse" } }).dindImage.advisories).toBe("refuse");
    const prebuilt = { target: "kubernetes", dindImage: { advisories: "refuse" }, registryPassword: "long-enough-secret", kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:25.0.5" } } };
    expect(parse(prebuilt).dindImage.dockerVersion).toBe("24.0.6");
  });
});
