// The registry pod as the API server and the kubelet take it: valid in the Kubernetes API schema,
// every mount of its container naming one of its volumes, its Secrets mounted read-only, a /tmp
// bounded by a real quantity; and its readiness probe as the kubelet runs it (its exec command on
// the host's sh, with a stand-in wget that answers as the registry would), timed like its
// liveness probe. Rendered by registryPodSpec directly.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KubernetesSettings, RegistrySettings } from "../../../components/config/schema";
import { quantityValue } from "../../../components/kubernetes/quantity";
import { registryPodSpec } from "../../../components/kubernetes/registry-pod";
import { problemsIn133 } from "../../support/kubernetes-schema";
import { dindSettings, kubernetesSettings, plainPod } from "../../support/kubernetes-fixtures";

type Pod = Record<string, any>;
type Container = Record<string, any>;

/** A registry pod with these settings (the schema's defaults for the rest), as plain JSON. */
function registryPod(kubernetes: Partial<KubernetesSettings> = {}, registry: RegistrySettings = dindSettings().registry): Pod {
  return plainPod(registryPodSpec(registry, kubernetesSettings(kubernetes), { claim: "registry-data", configSecret: "registry-config-abc" })) as unknown as Pod;
}

/** The registry container of such a pod. */
function registryContainer(kubernetes: Partial<KubernetesSettings> = {}, registry: RegistrySettings = dindSettings().registry): Container {
  return registryPod(kubernetes, registry).containers[0];
}

/** Kubernetes settings of a registry serving TLS from the Secret registry-tls (its CA is not parsed here). */
function withTls(): Partial<KubernetesSettings> {
  return { registryTls: { secretName: "registry-tls", caCertificate: "-----BEGIN CERTIFICATE-----\nMIIBdummy==\n-----END CERTIFICATE-----\n" } };
}

/** Registry settings with a login (the rest the schema's defaults). */
function withAuth(): RegistrySettings {
  return dindSettings({ registry: { auth: { username: "ci" } }, registryPassword: "pw-1234567890" }).registry;
}

/**
 * Runs a probe's exec command on the host's sh with a `wget` that prints the status line
 * `status` (as `wget -S` does, on stderr); returns whether the probe passed and the operands
 * (the addresses) of each wget call, its options and their values left out.
 */
function runProbe(command: string[], status: string): { passes: boolean; wgetOperands: string[][]; wgetOptions: string[][] } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-readiness-"));
  const log = path.join(bin, "calls");
  fs.writeFileSync(log, "");
  fs.writeFileSync(path.join(bin, "wget"), `#!/bin/sh\nprintf '%s\\n' "$@" "--" >> ${log}\necho "  ${status}" >&2\n`, { mode: 0o755 });
  let passes = true;
  try {
    execFileSync(command[0], command.slice(1), { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: "ignore" });
  } catch {
    passes = false;
  }
  const calls = fs.readFileSync(log, "utf8").split("--\n").filter(Boolean).map((call) => call.trim().split("\n"));
  fs.rmSync(bin, { recursive: true, force: true });
  return {
    passes,
    wgetOperands: calls.map((args) => args.filter((arg, index) => !arg.startsWith("-") && args[index - 1] !== "-O")),
    wgetOptions: calls.map((args) => args.filter((arg) => arg.startsWith("-"))),
  };
}

describe("the registry pod, as the API server takes it", () => {
  test("valid in the Kubernetes 1.33 API schema, with and without TLS", () => {
    for (const spec of [registryPod(), registryPod(withTls())]) {
      expect(problemsIn133({ type: "kubernetes:core/v1:Pod", inputs: { metadata: { name: "registry-0" }, spec } })).toBeUndefined();
    }
  });

  test("every mount of the registry container names a volume of the pod, and the claim and the config Secret are mounted", () => {
    for (const spec of [registryPod(), registryPod(withTls())]) {
      const volumes = new Map<string, any>(spec.volumes.map((volume: any) => [volume.name, volume]));
      const mounted = spec.containers[0].volumeMounts.map((mount: any) => volumes.get(mount.name));
      expect(mounted).not.toContain(undefined);
      expect(mounted.map((volume: any) => volume.persistentVolumeClaim?.claimName ?? volume.secret?.secretName).filter(Boolean)).toEqual(
        expect.arrayContaining(["registry-data", "registry-config-abc"]),
      );
    }
  });

  test("every Secret the registry container mounts (its config, its TLS files) is mounted read-only", () => {
    const spec = registryPod(withTls());
    const secrets = new Set(spec.volumes.filter((volume: any) => volume.secret).map((volume: any) => volume.name));
    const mounts = spec.containers[0].volumeMounts.filter((mount: any) => secrets.has(mount.name));
    expect(mounts).toHaveLength(2);
    for (const mount of mounts) expect(mount.readOnly).toBe(true);
  });

  test("its /tmp is bounded by a quantity above zero and below a gibibyte", () => {
    const pod = registryPod();
    const tmp = pod.containers[0].volumeMounts.find((mount: any) => mount.mountPath === "/tmp");
    const size = quantityValue(pod.volumes.find((volume: any) => volume.name === tmp.name).emptyDir.sizeLimit);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(2 ** 30);
  });
});

describe("the registry's readiness, as the kubelet runs it", () => {
  test("with auth: ready on 200 or 401 from /v2/ of the registry's own port on localhost, not ready on 503", () => {
    const registry = registryContainer({}, withAuth());
    const port = registry.ports[0].containerPort;
    const command = registry.readinessProbe.exec.command as string[];
    const unauthorized = runProbe(command, "HTTP/1.1 401 Unauthorized");
    expect(unauthorized.passes).toBe(true);
    expect(unauthorized.wgetOperands).toEqual([[`http://127.0.0.1:${port}/v2/`]]);
    expect(runProbe(command, "HTTP/1.1 200 OK").passes).toBe(true);
    expect(runProbe(command, "HTTP/1.1 503 Service Unavailable").passes).toBe(false);
  });

  test("with TLS: the same check over https, its certificate (made out to the Service) not checked on localhost", () => {
    const registry = registryContainer(withTls());
    const port = registry.ports[0].containerPort;
    const run = runProbe(registry.readinessProbe.exec.command as string[], "HTTP/1.1 200 OK");
    expect(run.passes).toBe(true);
    expect(run.wgetOperands).toEqual([[`https://127.0.0.1:${port}/v2/`]]);
    expect(run.wgetOptions[0]).toContain("--no-check-certificate");
    expect(runProbe(registry.readinessProbe.exec.command as string[], "HTTP/1.1 503 Service Unavailable").passes).toBe(false);
  });

  test("the readiness probe gives the registry's check the time the liveness probe gives it, with and without auth or TLS", () => {
    for (const registry of [registryContainer(), registryContainer({}, withAuth()), registryContainer(withTls())]) {
      expect(registry.readinessProbe.timeoutSeconds).toBeDefined();
      expect(registry.readinessProbe.timeoutSeconds).toBe(registry.livenessProbe.timeoutSeconds);
    }
  });
});
