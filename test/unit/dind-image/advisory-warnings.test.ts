// The advisories warning as preview and up print it, from the whole program.
import { runProgram } from "../../support/run-program";
import { deployableStack, stackConfig, withOverrides } from "../../support/stack-config";

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
