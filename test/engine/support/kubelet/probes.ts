import * as net from "node:net";
import { execIn } from "../container-io";
import { Fields, onlyFields } from "./fields";

/** One probe of a container, ready to run. */
export interface Probe {
  /** Which probe, for messages: e.g. `startupProbe of container "dind"`. */
  what: string;
  /** Runs the check once; true when it passed within the timeout. */
  check: () => Promise<boolean>;
  /** Seconds before the first check. */
  initialDelaySeconds: number;
  /** Seconds between checks. */
  periodSeconds: number;
  /** Consecutive failures after which the probe has failed. */
  failureThreshold: number;
  /** Consecutive successes after which the probe has passed. */
  successThreshold: number;
}

/** Where probes reach the container: its Docker container and the pod's IP. */
export interface ProbeTarget {
  /** Docker id or name of the container (exec probes run in it). */
  container: string;
  /** The pod's IP (httpGet and tcpSocket probes connect to it, as the kubelet does from the node). */
  podIp: string;
  /** Named container ports. */
  ports: ReadonlyMap<string, number>;
}

function withTimeout(seconds: number, attempt: Promise<boolean>): Promise<boolean> {
  return Promise.race([attempt.catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), seconds * 1000).unref())]);
}

function portNumber(port: string | number, target: ProbeTarget, where: string): number {
  if (typeof port === "number") return port;
  const named = target.ports.get(port);
  if (named === undefined) throw new Error(`kubelet: ${where} names port "${port}", which the container does not declare`);
  return named;
}

/** A probe as the kubelet runs it: exec in the container, HTTP GET or TCP connect to the pod's IP. */
export function probeOf(spec: Fields, where: string, target: ProbeTarget): Probe {
  onlyFields(where, spec, ["exec", "httpGet", "tcpSocket", "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"]);
  const timeout = spec.timeoutSeconds ?? 1;
  let check: () => Promise<boolean>;
  if (spec.exec) {
    onlyFields(`${where}.exec`, spec.exec, ["command"]);
    check = () => withTimeout(timeout, execIn(target.container, spec.exec.command).then((result) => result.exitCode === 0));
  } else if (spec.httpGet) {
    onlyFields(`${where}.httpGet`, spec.httpGet, ["path", "port", "scheme"]);
    if ((spec.httpGet.scheme ?? "HTTP") !== "HTTP") throw new Error(`kubelet: ${where}.httpGet.scheme ${spec.httpGet.scheme} is not realized`);
    const url = `http://${target.podIp}:${portNumber(spec.httpGet.port, target, where)}${spec.httpGet.path ?? "/"}`;
    // The kubelet counts 200-399 as success and does not follow redirects off the pod.
    check = () => withTimeout(timeout, fetch(url, { redirect: "manual" }).then((response) => response.status >= 200 && response.status < 400));
  } else if (spec.tcpSocket) {
    onlyFields(`${where}.tcpSocket`, spec.tcpSocket, ["port"]);
    const port = portNumber(spec.tcpSocket.port, target, where);
    check = () =>
      withTimeout(
        timeout,
        new Promise<boolean>((resolve) => {
          const socket = net.connect(port, target.podIp, () => {
            socket.destroy();
            resolve(true);
          });
          socket.on("error", () => resolve(false));
        }),
      );
  } else {
    throw new Error(`kubelet: ${where} has no exec, httpGet or tcpSocket handler the harness realizes`);
  }
  return {
    what: where,
    check,
    initialDelaySeconds: spec.initialDelaySeconds ?? 0,
    periodSeconds: spec.periodSeconds ?? 10,
    failureThreshold: spec.failureThreshold ?? 3,
    successThreshold: spec.successThreshold ?? 1,
  };
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Runs a probe until it passes (successThreshold checks in a row) or fails (failureThreshold
 * in a row); returns whether it passed and when. `stillRunning` ends it early when the
 * container has exited (the kubelet stops probing a dead container).
 */
export async function runUntilDecided(probe: Probe, stillRunning: () => Promise<boolean>): Promise<{ passed: boolean; at: number; failures: number }> {
  await sleep(probe.initialDelaySeconds);
  let successes = 0;
  let failures = 0;
  for (;;) {
    if (await probe.check()) {
      successes += 1;
      failures = 0;
      if (successes >= probe.successThreshold) return { passed: true, at: Date.now(), failures };
    } else {
      successes = 0;
      failures += 1;
      if (failures >= probe.failureThreshold || !(await stillRunning())) return { passed: false, at: Date.now(), failures };
    }
    await sleep(probe.periodSeconds);
  }
}
