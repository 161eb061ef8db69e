import { problemLines, ruleContext } from "../../support/config-problems";

// Each row: a bad config (keys without the `dind-stack:` namespace) and the exact error line.
/** A Kubernetes-target config with a prebuilt DinD image and the registry's password, `kubernetes` keys and top-level keys added. */
const onCluster = (kubernetes: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  target: "kubernetes",
  registryPassword: "cluster-password-1",
  ...top,
  kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:24.0.6" }, ...kubernetes },
});

const BAD_CONFIGS: [string, Record<string, unknown>, string][] = [
  ["mode typo", { mode: "dinD" }, 'dind-stack:mode: got "dinD"; allowed: one of "dind", "dood" (did you mean "dind"?)'],
  ["target typo", { target: "kubernete" }, 'dind-stack:target: got "kubernete"; allowed: one of "docker", "kubernetes" (did you mean "kubernetes"?)'],
  [
    "unknown top-level key",
    { registy: { port: 5000 } },
    'dind-stack:registy: unknown key (did you mean "registry"?); allowed keys: target, mode, dindImage, registry, mirror, daemon, workloads, kubernetes, registryPassword, registryProxyPassword, dindImagePassword',
  ],
  [
    "unknown nested key",
    { daemon: { tsl: true } },
    'dind-stack:daemon.tsl: unknown key (did you mean "tls"?); allowed keys: insecureRegistries, registryMirrors, mtu, dns, storageDriver, logOpts, tls, iptables, extraArgs',
  ],
  [
    "registry password beside the user name",
    { registry: { auth: { username: "ci", password: "hunter2hunter2" } }, registryPassword: "long-enough-secret" },
    "dind-stack:registry.auth.password: unknown key: the password is the secret dind-stack:registryPassword: remove this key (the stack file keeps it in plain text) and run `npm run pulumi -- config set --secret dind-stack:registryPassword --stack test`; allowed keys: username",
  ],
  [
    "proxy password beside the user name",
    { registry: { proxy: { remoteUrl: "https://mirror.example", username: "u", password: "hunter2hunter2" } }, registryProxyPassword: "long-enough-secret" },
    "dind-stack:registry.proxy.password: unknown key: the password is the secret dind-stack:registryProxyPassword: remove this key (the stack file keeps it in plain text) and run `npm run pulumi -- config set --secret dind-stack:registryProxyPassword --stack test`; allowed keys: remoteUrl, username",
  ],
  ["mtu too large", { daemon: { mtu: 70000 } }, "dind-stack:daemon.mtu: got 70000; allowed: an integer from 576 to 65535"],
  ["mtu not a number", { daemon: { mtu: "abc" } }, 'dind-stack:daemon.mtu: got "abc"; allowed: an integer from 576 to 65535'],
  ["port zero", { registry: { port: 0 } }, "dind-stack:registry.port: got 0; allowed: an integer from 1 to 65535"],
  ["port fractional", { registry: { port: 5000.5 } }, "dind-stack:registry.port: got 5000.5; allowed: an integer from 1 to 65535"],
  ["bind address not an IP", { registry: { bindAddress: "localhost" } }, 'dind-stack:registry.bindAddress: got "localhost"; allowed: an IPv4 or IPv6 address'],
  [
    "sha256 malformed",
    { dindImage: { sha256: "99792DEC" } },
    'dind-stack:dindImage.sha256: got "99792DEC"; allowed: 64 lowercase hex digits (the sha256sum of the tarball)',
  ],
  ["version not a release", { dindImage: { dockerVersion: "latest", sha256: "a".repeat(64) } }, 'dind-stack:dindImage.dockerVersion: got "latest"; allowed: a Docker release version such as "24.0.6"'],
  ["arch not supported", { dindImage: { arch: "arm64" } }, 'dind-stack:dindImage.arch: got "arm64"; allowed: one of "x86_64", "aarch64"'],
  [
    "no pinned checksum",
    { dindImage: { dockerVersion: "25.0.0" } },
    "dind-stack:dindImage.sha256: missing; allowed: 64 lowercase hex digits, required because no trusted checksum is pinned for docker 25.0.0 (x86_64)",
  ],
  [
    "no pinned checksum for aarch64",
    { dindImage: { arch: "aarch64" } },
    "dind-stack:dindImage.sha256: missing; allowed: 64 lowercase hex digits, required because no trusted checksum is pinned for docker 24.0.6 (aarch64)",
  ],
  [
    "local tarball missing",
    { dindImage: { localTarball: "downloads/docker-24.0.6.tgz" } },
    'dind-stack:dindImage.localTarball: got "downloads/docker-24.0.6.tgz", which is not an existing file; allowed: the path of a downloaded docker-<version>.tgz (absolute, or relative to the project directory)',
  ],
  [
    "dood without opt-in",
    { mode: "dood" },
    'dind-stack:mode: got "dood" without dind-stack:workloads.allowDood: true; allowed: "dind", or "dood" once the stack opts in (DooD mounts the host\'s Docker socket: root on the host)',
  ],
  [
    "auth without password",
    { registry: { auth: { username: "ci" } } },
    "dind-stack:registryPassword: missing; allowed: a secret of 8 to 72 bytes, required because dind-stack:registry.auth is set",
  ],
  [
    "password too short",
    { registry: { auth: { username: "ci" } }, registryPassword: "short" },
    "dind-stack:registryPassword: got a secret value (not shown); allowed: a secret of 8 to 72 bytes",
  ],
  [
    "password without auth",
    { registryPassword: "long-enough-secret" },
    "dind-stack:registryPassword: got a secret value (not shown) without dind-stack:registry.auth; allowed: only together with registry.auth.username",
  ],
  [
    "proxy password without proxy user",
    { registry: { proxy: { remoteUrl: "https://mirror.example" } }, registryProxyPassword: "long-enough-secret" },
    "dind-stack:registryProxyPassword: got a secret value (not shown) without dind-stack:registry.proxy.username; allowed: only together with registry.proxy.username",
  ],
  [
    "flag owned by the entrypoint",
    { daemon: { extraArgs: ["--host=tcp://0.0.0.0:2375"] } },
    'dind-stack:daemon.extraArgs[0]: got "--host=tcp://0.0.0.0:2375", a flag the stack sets itself (set by the entrypoint); allowed: any other dockerd flag',
  ],
  [
    "flag owned by a config key",
    { daemon: { extraArgs: ["--debug", "--mtu=1400"] } },
    'dind-stack:daemon.extraArgs[1]: got "--mtu=1400", a flag the stack sets itself via dind-stack:daemon.mtu; allowed: any other dockerd flag',
  ],
  [
    "short flag",
    { daemon: { extraArgs: ["-H"] } },
    'dind-stack:daemon.extraArgs[0]: got "-H"; allowed: a dockerd flag such as "--experimental" or "--default-ulimit=nofile=65536:65536"',
  ],
  [
    "duplicate client names",
    { workloads: { clients: [{ name: "runner" }, { name: "runner" }] } },
    'dind-stack:workloads.clients[1]: got duplicate client name "runner" (also at [0]); allowed: each client name once',
  ],
  ["too many clients", { workloads: { clients: [{ name: "runner", count: 21 }] } }, "dind-stack:workloads.clients[0].count: got 21; allowed: an integer from 0 to 20"],
  [
    "client name not a DNS label",
    { workloads: { clients: [{ name: "Runner_1" }] } },
    'dind-stack:workloads.clients[0].name: got "Runner_1"; allowed: a DNS label: lowercase letters, digits and -, at most 63, not starting or ending with -',
  ],
  [
    "client without name",
    { workloads: { clients: [{ count: 1 }] } },
    "dind-stack:workloads.clients[0].name: missing; allowed: a DNS label: lowercase letters, digits and -, at most 63, not starting or ending with -",
  ],
  [
    "bad env name",
    { workloads: { clients: [{ name: "runner", env: { "1BAD": "x" } }] } },
    'dind-stack:workloads.clients[0].env.1BAD: got key "1BAD"; allowed: environment variable names',
  ],
  [
    "insecure registry with scheme",
    { daemon: { insecureRegistries: ["http://registry:5000"] } },
    'dind-stack:daemon.insecureRegistries[0]: got "http://registry:5000"; allowed: a registry host[:port] or a CIDR, such as "registry:5000" or "10.0.0.0/8"',
  ],
  ["dns not an IP", { daemon: { dns: ["8.8.8"] } }, 'dind-stack:daemon.dns[0]: got "8.8.8"; allowed: an IPv4 or IPv6 address'],
  ["log size unit", { daemon: { logOpts: { maxSize: "10MB" } } }, 'dind-stack:daemon.logOpts.maxSize: got "10MB"; allowed: a size with unit k, m or g, such as "10m"'],
  [
    "storage driver typo",
    { daemon: { storageDriver: "overlay" } },
    'dind-stack:daemon.storageDriver: got "overlay"; allowed: one of "overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs" (did you mean "overlay2"?)',
  ],
  [
    "image reference with uppercase",
    { registry: { image: "Registry:2" } },
    'dind-stack:registry.image: got "Registry:2"; allowed: an image reference with a tag other than latest, or a digest, such as "registry:2" or "mirror.example:5000/library/debian:bookworm-slim" (without a tag Docker takes the moving tag latest)',
  ],
  ["download URL not http", { dindImage: { downloadUrl: "ftp://mirror.example/docker" } }, 'dind-stack:dindImage.downloadUrl: got "ftp://mirror.example/docker"; allowed: an http:// or https:// URL'],
  [
    "package with shell",
    { dindImage: { extraPackages: ["git; rm -rf /"] } },
    'dind-stack:dindImage.extraPackages[0]: got "git; rm -rf /"; allowed: a Debian package name such as "git" or "git=1:2.39.5-0+deb12u1"',
  ],
  [
    "section given as a string",
    { registry: "registry:2" },
    'dind-stack:registry: got "registry:2"; allowed: an object with keys image, port, bindAddress, allowUnauthenticatedExposure, alias, volumeName, hostPath, restoreArchive, restoreSizeLimit, retainDataOnDelete, deleteEnabled, auth, proxy',
  ],
  ["unparsable structured value", { registry: "{port: 5000" }, 'dind-stack:registry: got unparsable structured value "{port: 5000"; allowed: a YAML mapping or list'],
  ["boolean as yes", { workloads: { allowDood: "yes" } }, 'dind-stack:workloads.allowDood: got "yes"; allowed: true or false'],
  ["quantity unit", { kubernetes: { dataVolumeSize: "20GB" } }, 'dind-stack:kubernetes.dataVolumeSize: got "20GB"; allowed: a Kubernetes quantity such as "20Gi"'],
  [
    "cluster without a DinD image source",
    { target: "kubernetes", registryPassword: "cluster-password-1" },
    "dind-stack:kubernetes.dindImage: missing; allowed: reference (a prebuilt image the nodes can pull) or registry and repository (the stack builds the image and pushes it there), " +
      "required with target kubernetes because a cluster cannot use an image built on this machine's engine",
  ],
  ["registry storage size not a quantity", onCluster({ registryStorageSize: "50GB" }), 'dind-stack:kubernetes.registryStorageSize: got "50GB"; allowed: a Kubernetes quantity such as "20Gi"'],
  [
    "CPU not a quantity",
    onCluster({ resources: { daemon: { requests: { cpu: "half" } } } }),
    'dind-stack:kubernetes.resources.daemon.requests.cpu: got "half"; allowed: a Kubernetes quantity such as "500m" or "1Gi"',
  ],
  [
    "request above the default limit",
    onCluster({ resources: { registry: { requests: { memory: "1Gi" } } } }),
    'dind-stack:kubernetes.resources.registry.requests.memory: got "1Gi", above the limit "512Mi"; allowed: at most the limit (the API server refuses the pod otherwise)',
  ],
  [
    "native sidecar on a cluster older than 1.29",
    onCluster({ clusterVersion: "1.28" }),
    'dind-stack:kubernetes.sidecar: got "native" with dind-stack:kubernetes.clusterVersion "1.28"; allowed: "classic" on clusters older than 1.29 (native sidecars, init containers with restartPolicy Always, need 1.29)',
  ],
  [
    "a Docker host key on a cluster",
    onCluster({}, { registry: { port: 5002 } }),
    "dind-stack:registry.port: got 5002; allowed: only with target docker (on kubernetes the registry is reached through its Service on port 5000)",
  ],
  [
    "a cluster key on a Docker host",
    { kubernetes: { sidecar: "classic" } },
    'dind-stack:kubernetes.sidecar: got "classic"; allowed: only with target kubernetes (this stack\'s target is docker)',
  ],
  ["cluster version with a v", onCluster({ clusterVersion: "v1.30" }), 'dind-stack:kubernetes.clusterVersion: got "v1.30"; allowed: a Kubernetes minor version such as "1.30"'],
  ["sidecar mode typo", onCluster({ sidecar: "native-sidecar" }), 'dind-stack:kubernetes.sidecar: got "native-sidecar"; allowed: one of "native", "classic"'],
  [
    "registry and runners in one namespace",
    onCluster({ namespaces: { registry: "ci", runners: "ci" } }),
    'dind-stack:kubernetes.namespaces.runners: got "ci", the registry\'s namespace too; allowed: a namespace of its own (the registry\'s enforces Pod Security restricted, the runners\' may need privileged)',
  ],
  [
    "the runners in kube-system",
    onCluster({ namespaces: { runners: "kube-system" } }),
    'dind-stack:kubernetes.namespaces.runners: got "kube-system", a namespace of Kubernetes itself; allowed: any other DNS label, neither default nor starting with kube- (kube-system, kube-public and kube-node-lease belong to the cluster, default holds what is created without a namespace): leave the key unset for the stack\'s own namespace, or name an existing one dedicated to the stack\'s runners',
  ],
  [
    "the registry in default",
    onCluster({ namespaces: { registry: "default" } }),
    'dind-stack:kubernetes.namespaces.registry: got "default", a namespace of Kubernetes itself; allowed: any other DNS label, neither default nor starting with kube- (kube-system, kube-public and kube-node-lease belong to the cluster, default holds what is created without a namespace): leave the key unset for the stack\'s own namespace, or name an existing one dedicated to the stack\'s registry',
  ],
  [
    "a registry on a cluster without its password",
    onCluster({}, { registryPassword: undefined }),
    'dind-stack:registryPassword: missing; allowed: a secret of 8 to 72 bytes, required because with target kubernetes the registry requires authentication (user "dind-stack" unless dind-stack:registry.auth.username names another): set it with `npm run pulumi -- config set --secret dind-stack:registryPassword "$(openssl rand -base64 32)" --stack test`. Only for a registry without authentication, set dind-stack:registry.allowUnauthenticatedExposure: true instead: then its NetworkPolicy alone keeps other pods out, which needs a CNI that enforces NetworkPolicy (the EKS VPC CNI does not by default, nor GKE Standard without Dataplane V2, nor flannel)',
  ],
  [
    "a password for an open registry on a cluster",
    onCluster({}, { registry: { allowUnauthenticatedExposure: true } }),
    "dind-stack:registryPassword: got a secret value (not shown) without dind-stack:registry.auth; allowed: only together with registry.auth.username",
  ],
  [
    "DooD on a cluster without opt-in",
    onCluster({ nodeCidrs: ["10.0.0.0/16"] }, { mode: "dood" }),
    'dind-stack:mode: got "dood" without dind-stack:workloads.allowDood: true; allowed: "dind", or "dood" once the stack opts in (DooD mounts the host\'s Docker socket: root on the host)',
  ],
  [
    "DooD on a cluster without the nodes' ranges",
    onCluster({}, { mode: "dood", workloads: { allowDood: true } }),
    "dind-stack:kubernetes.nodeCidrs: missing; allowed: a list of CIDRs, required with mode dood because the nodes' Docker Engine pushes to the registry and its NetworkPolicy admits only the runner pods and these ranges",
  ],
  [
    "a RuntimeClass with DooD",
    onCluster({ runtimeClassName: "sysbox-runc", nodeCidrs: ["10.0.0.0/16"] }, { mode: "dood", workloads: { allowDood: true } }),
    'dind-stack:kubernetes.runtimeClassName: got "sysbox-runc" with mode dood; allowed: only with mode dind (it lets the DinD daemon run unprivileged)',
  ],
  ["node range without prefix length", onCluster({ nodeCidrs: ["10.0.0.0"] }), 'dind-stack:kubernetes.nodeCidrs[0]: got "10.0.0.0"; allowed: a CIDR such as "10.0.0.0/16"'],
  [
    "prebuilt image and a build target at once",
    onCluster({ dindImage: { reference: "registry.example.com/platform/dind:24.0.6", registry: "registry.example.com", repository: "platform/dind" } }),
    'dind-stack:kubernetes.dindImage.reference: got "registry.example.com/platform/dind:24.0.6" together with registry/repository; allowed: either a prebuilt reference or registry and repository',
  ],
  [
    "push repository without registry",
    onCluster({ dindImage: { repository: "platform/dind" } }),
    "dind-stack:kubernetes.dindImage.registry: missing; allowed: a registry host[:port], required together with kubernetes.dindImage.repository",
  ],
  [
    "image registry user without password",
    onCluster({ dindImage: { registry: "registry.example.com", repository: "platform/dind", username: "ci" } }),
    "dind-stack:dindImagePassword: missing; allowed: a secret of 8 to 72 bytes, required because dind-stack:kubernetes.dindImage.username is set",
  ],
  [
    "the old single namespace key",
    onCluster({ namespace: "ci" }),
    'dind-stack:kubernetes.namespace: unknown key (did you mean "namespaces"?); allowed keys: context, clusterVersion, namespaces, clusterDomain, storageClassName, registryStorageSize, sidecar, runtimeClassName, dindCache, dataVolumeSize, dindCacheAccessMode, dindStorage, registryGarbageCollect, registryTls, terminationGracePeriodSeconds, runnerDisruption, runnerEgress, placement, dindImage, nodeCidrs, resources',
  ],
  [
    "log driver set by flag",
    { daemon: { extraArgs: ["--log-driver=syslog"] } },
    'dind-stack:daemon.extraArgs[0]: got "--log-driver=syslog", a flag the stack sets itself (daemon.json sets json-file with rotation); allowed: any other dockerd flag',
  ],
  [
    "client env overriding the daemon address",
    { workloads: { clients: [{ name: "runner", env: { DOCKER_HOST: "tcp://elsewhere:2375" } }] } },
    "dind-stack:workloads.clients[0].env.DOCKER_HOST: got a variable the stack sets itself (it points the client at its daemon and registry); allowed: any name but DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONFIG, DIND_STACK_REGISTRY, DIND_STACK_BUILD_CACHE, DIND_READY_TIMEOUT",
  ],
  [
    "daemon alias taken by the registry",
    { workloads: { daemonAlias: "registry" } },
    'dind-stack:workloads.daemonAlias: got "registry", the same name as dind-stack:registry.alias; allowed: a name no other container of the stack\'s network uses',
  ],
  [
    "one volume for registry and daemon",
    { registry: { volumeName: "shared" }, workloads: { dataVolumeName: "shared" } },
    'dind-stack:workloads.dataVolumeName: got "shared", the name of this stack\'s registry data volume (dind-stack:registry.volumeName); allowed: a volume for the DinD daemon data alone (not this stack\'s shared, dind-stack-test-dind-certs, dind-stack-test-mirror-data, nor another stack\'s dind-stack-<stack>-... volumes)',
  ],
  ["list given as a string", { daemon: { dns: "1.1.1.1" } }, 'dind-stack:daemon.dns: got "1.1.1.1"; allowed: a list of at most 3 items, each an IPv4 or IPv6 address'],
  [
    "registry on every interface without auth",
    { registry: { bindAddress: "0.0.0.0" } },
    'dind-stack:registry.bindAddress: got "0.0.0.0" without dind-stack:registry.auth: anyone who reaches that address could push and pull (it publishes on every interface); allowed: a loopback address (127.0.0.0/8, ::1), or registry.auth, or dind-stack:registry.allowUnauthenticatedExposure: true to publish it without auth on purpose',
  ],
  [
    "registry on a network address without auth",
    { registry: { bindAddress: "10.1.2.3", port: "5002" } },
    'dind-stack:registry.bindAddress: got "10.1.2.3" without dind-stack:registry.auth: anyone who reaches that address could push and pull; allowed: a loopback address (127.0.0.0/8, ::1), or registry.auth, or dind-stack:registry.allowUnauthenticatedExposure: true to publish it without auth on purpose',
  ],
  ["empty client command", { workloads: { clients: [{ name: "runner", command: [] }] } }, "dind-stack:workloads.clients[0].command: got []; allowed: a list of 1 to 100 items, each a non-empty string"],
  [
    "second client with a bad name",
    { workloads: { clients: [{ name: "runner" }, { name: "Builder" }] } },
    'dind-stack:workloads.clients[1].name: got "Builder"; allowed: a DNS label: lowercase letters, digits and -, at most 63, not starting or ending with -',
  ],
  [
    "unknown key in a client",
    { workloads: { clients: [{ name: "runner", comand: ["make"] }] } },
    'dind-stack:workloads.clients[0].comand: unknown key (did you mean "command"?); allowed keys: name, image, command, env, count',
  ],
];

describe("bad configs are refused with an error naming the key, the value and what is allowed", () => {
  test.each(BAD_CONFIGS)("%s", (_title, config, expected) => {
    expect(problemLines(config)).toEqual([expected]);
  });

  test.each(["kube-system", "kube-public", "kube-node-lease", "default"])("the namespace %s of Kubernetes itself is refused for either role, naming the key", (name) => {
    for (const role of ["registry", "runners"]) {
      expect(problemLines(onCluster({ namespaces: { [role]: name } }))).toEqual([expect.stringMatching(new RegExp(`^dind-stack:kubernetes\\.namespaces\\.${role}: got "${name}", a namespace of Kubernetes itself;`))]);
    }
  });

  test("a secret set in plain text is refused without echoing it", () => {
    const lines = problemLines({ registry: { auth: { username: "ci" } }, registryPassword: "plain-text-password" }, ruleContext([], []));
    expect(lines).toEqual([
      "dind-stack:registryPassword: got a plain-text value (not shown); allowed: a secret, set with `npm run pulumi -- config set --secret dind-stack:registryPassword --stack test`",
    ]);
    expect(lines.join("\n")).not.toContain("plain-text-password");
  });
});
