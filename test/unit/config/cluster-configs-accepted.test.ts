// Cluster configs the rules must let through: tolerations the API server accepts, and registry TLS
// with DinD daemons (the ones that can be made to trust its CA).
import { onCluster, parse } from "../../support/config-problems";

describe("tolerations the API server accepts pass", () => {
  test("operator Exists without a key or value tolerates every taint", () => {
    const settings = parse(onCluster({ placement: { runners: { tolerations: [{ operator: "Exists" }] } } }));
    expect(settings.kubernetes.placement.runners.tolerations).toEqual([expect.objectContaining({ operator: "Exists" })]);
    expect(settings.kubernetes.placement.runners.tolerations[0].key).toBeUndefined();
  });

  test("tolerationSeconds with effect NoExecute", () => {
    const settings = parse(onCluster({ placement: { runners: { tolerations: [{ key: "spot", value: "yes", effect: "NoExecute", tolerationSeconds: 60 }] } } }));
    expect(settings.kubernetes.placement.runners.tolerations).toEqual([expect.objectContaining({ key: "spot", effect: "NoExecute", tolerationSeconds: 60 })]);
  });
});

test("registry TLS passes with mode dind", () => {
  const registryTls = { secretName: "registry-tls", caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" };
  expect(parse(onCluster({ registryTls })).kubernetes.registryTls).toEqual(registryTls);
});
