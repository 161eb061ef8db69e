import { clientContainerSpecs } from "../../../components/workloads/client-spec";
import { dindConnection } from "../../../components/workloads/connections";
import { objectNames } from "../../../components/naming";
import { parse } from "../../support/config-problems";

// What a client container gets besides its command: the stack's network, a restart policy, and
// the labels a `docker ps --filter label=...` finds it by.

/** The client containers of a stack file's `workloads.clients`, on network `net` of stack ci. */
function clientArgs(clients: Record<string, unknown>[]) {
  const settings = parse({ workloads: { clients } });
  return clientContainerSpecs(settings.workloads.clients, {
    stack: "ci",
    defaultImage: "sha256:dind",
    images: {},
    networkName: "net",
    containerName: objectNames("ci").client,
    readyTimeoutSeconds: 90,
    connection: dindConnection(settings.daemon, settings.workloads, "certs", "registry:5000"),
    secretValues: false,
  }).map((spec) => spec.args);
}

test("a client joins the stack's network and restarts unless stopped", () => {
  const [runner] = clientArgs([{ name: "runner" }]);
  expect(runner.networksAdvanced).toEqual([{ name: "net" }]);
  expect(runner.restart).toBe("unless-stopped");
});

test("a client is labelled with its stack, as a client, and with its group's name", () => {
  const labels = clientArgs([{ name: "runner" }, { name: "builder" }]).map((args) => Object.fromEntries((args.labels as { label: string; value: string }[]).map(({ label, value }) => [label, value])));
  expect(labels).toEqual([
    { "org.dind-stack.stack": "ci", "org.dind-stack.component": "client", "org.dind-stack.client": "runner" },
    { "org.dind-stack.stack": "ci", "org.dind-stack.component": "client", "org.dind-stack.client": "builder" },
  ]);
});
