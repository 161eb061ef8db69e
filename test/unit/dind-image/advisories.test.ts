import { advisoriesFor, compareVersions } from "../../../components/dind-image/advisories";
import { parse, problemLines } from "../../support/config-problems";
import { runProgram } from "../../support/run-program";
import { deployableStack, stackConfig, withOverrides } from "../../support/stack-config";

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

describe("preview and up: a warning at the DinD image", () => {
  const warningsOf = async (stack: string, config: Record<string, string>, secretKeys: string[] = []) =>
    (await runProgram(stack, config, secretKeys)).warnings.filter((line) => line.includes("advisories"));

  test("docker 24.0.6 (stack ci) gets one warning naming its CVEs, their fixes and the release that fixes all", async () => {
    const [warning, ...others] = await warningsOf("ci", stackConfig("ci"));
    expect(others).toEqual([]);
    expect(warning).toContain("docker 24.0.6");
    for (const cve of ["CVE-2024-21626", "CVE-2024-24557", "CVE-2024-23651", "CVE-2024-23652", "CVE-2024-23653", "CVE-2024-23650"]) expect(warning).toContain(cve);
    expect(warning).toMatch(/CVE-2024-21626 \(runc, High, CVSS 8\.6: .*fixed in 24\.0\.9\)/);
    expect(warning).toContain("25.0.2 or later fixes all of them");
    expect(warning).toContain("dind-stack:dindImage.dockerVersion");
  });

  test("a fixed release gets none: the prod stack's 25.0.5, and 25.0.5 on a Docker host", async () => {
    const prod = deployableStack("prod");
    expect(await warningsOf("prod", prod.config, prod.secretKeys)).toEqual([]);
    const patched = withOverrides(stackConfig("ci"), { "dind-stack:dindImage": { dockerVersion: "25.0.5", sha256: "d5ff82e5fd469aab5ce73f01c27fa4ca8df85e5376d8245d012c73694dc2fc95" } });
    expect(await warningsOf("ci", patched)).toEqual([]);
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
