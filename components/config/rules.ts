import { BlockList } from "node:net";
import { checkAdvisories } from "./advisory-rules";
import { registryAuthByDefault } from "./cluster-defaults";
import { checkClusterDood, checkClusterImage, checkClusterRegistryAuth, checkNamespaces, checkPlacement, checkRegistryTls, checkResources, checkSidecar } from "./kubernetes-rules";
import { checkNodePullable } from "./pull-rules";
import { SavedImage } from "../mirror/saved-images";
import { checkMirrorArchives, checkMirrorNames, checkMirrorPulls, checkMirrorTarget } from "./mirror-rules";
import { checkTargetKeys } from "./target-rules";
import { pinnedDockerSha256 } from "./pins";
import { checkPluginChecksums, checkPluginFiles } from "./plugin-rules";
import { KeyPath } from "./key-path";
import { Problem, renderValue } from "./problem";
import { NAMESPACE, SECRET_KEYS, Settings } from "./schema";
import { checkRegistryStorage } from "./storage-rules";
import { checkUrlCredentials } from "./credential-rules";
import { checkVolumeNames } from "./volume-rules";
import { MIRROR_ALIAS } from "../naming";

/** What the cross-field rules need from the outside world. */
export interface RuleContext {
  /** True when `path` names an existing regular file. */
  isFile: (path: string) => boolean;
  /** True when the key (without namespace) was set as a Pulumi secret. */
  isSecret: (name: string) => boolean;
  /** True when `path` names an existing directory. */
  isDirectory: (path: string) => boolean;
  /** The images of a `docker save` archive; throws an Error saying why the file is not one. */
  savedImages: (path: string) => SavedImage[];
  /** Why a file is not an archive of a registry's storage that unpacks safely to at most `maxBytes`, or undefined when it is one. */
  registryArchiveProblem: (path: string, maxBytes: number) => string | undefined;
  /**
   * The paths, inside a top-level key, of the values the stack's file stores encrypted
   * (`secure:`); undefined when the stack has no file the program can read.
   */
  secureLeaves?: (name: string) => KeyPath[] | undefined;
}

/** dockerd flags the stack sets itself, and the config key that controls each. */
const OWNED_FLAGS: Readonly<Record<string, string>> = {
  "--host": "(set by the entrypoint)",
  "--tls": "daemon.tls",
  "--tlsverify": "daemon.tls",
  "--tlscacert": "daemon.tls",
  "--tlscert": "daemon.tls",
  "--tlskey": "daemon.tls",
  "--mtu": "daemon.mtu",
  "--default-network-opt": "daemon.mtu",
  "--dns": "daemon.dns",
  "--insecure-registry": "daemon.insecureRegistries",
  "--registry-mirror": "daemon.registryMirrors",
  "--storage-driver": "daemon.storageDriver",
  "--log-opt": "daemon.logOpts",
  "--log-driver": "(daemon.json sets json-file with rotation)",
  "--pidfile": "(the entrypoint clears stale pid files at the default path)",
  "--exec-root": "(the entrypoint clears stale pid files at the default path)",
  "--config-file": "(the entrypoint writes /etc/docker/daemon.json)",
  "--data-root": "(the data volume is mounted at /var/lib/docker)",
};

const key = (path: string) => `${NAMESPACE}:${path}`;

function checkChecksum(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  const { dockerVersion, arch, sha256 } = settings.dindImage;
  if (sha256 === undefined && pinnedDockerSha256(dockerVersion, arch) === undefined) {
    problems.push({
      key: key("dindImage.sha256"),
      message: `missing; allowed: 64 lowercase hex digits, required because no trusted checksum is pinned for docker ${dockerVersion} (${arch})`,
    });
  }
}

function checkTarball(settings: Settings, context: RuleContext, problems: Problem[]): void {
  const tarball = settings.dindImage.localTarball;
  if (tarball !== undefined && !context.isFile(tarball)) {
    problems.push({
      key: key("dindImage.localTarball"),
      message: `got ${renderValue(tarball)}, which is not an existing file; allowed: the path of a downloaded docker-<version>.tgz (absolute, or relative to the project directory)`,
    });
  }
}

function checkDood(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  if (settings.mode === "dood" && !settings.workloads.allowDood) {
    problems.push({
      key: key("mode"),
      message: `got "dood" without ${key("workloads.allowDood")}: true; allowed: "dind", or "dood" once the stack opts in (DooD mounts the host's Docker socket: root on the host)`,
    });
  }
}

function checkSecrets(settings: Settings, context: StackRuleContext, problems: Problem[]): void {
  const { auth, proxy } = settings.registry;
  for (const name of SECRET_KEYS) {
    if (settings[name] !== undefined && !context.isSecret(name)) {
      problems.push({
        key: key(name),
        message: `got a plain-text value (not shown); allowed: a secret, set with \`npm run pulumi -- config set --secret ${key(name)} --stack ${context.stack}\``,
      });
    }
  }
  if (auth && settings.registryPassword === undefined) {
    problems.push({ key: key("registryPassword"), message: `missing; allowed: a secret of 8 to 72 bytes, required because ${key("registry.auth")} is set` });
  }
  if (!auth && settings.registryPassword !== undefined && !registryAuthByDefault(settings)) {
    problems.push({ key: key("registryPassword"), message: `got a secret value (not shown) without ${key("registry.auth")}; allowed: only together with registry.auth.username` });
  }
  if (settings.registryProxyPassword !== undefined && !proxy?.username) {
    problems.push({
      key: key("registryProxyPassword"),
      message: `got a secret value (not shown) without ${key("registry.proxy.username")}; allowed: only together with registry.proxy.username`,
    });
  }
  if (proxy?.username && settings.registryProxyPassword === undefined) {
    problems.push({ key: key("registryProxyPassword"), message: `missing; allowed: a secret of 8 to 72 bytes, required because ${key("registry.proxy.username")} is set` });
  }
}

function checkExtraArgs(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  settings.daemon.extraArgs.forEach((arg, index) => {
    const flagName = arg.split("=")[0];
    const owner = OWNED_FLAGS[flagName];
    if (owner !== undefined) {
      problems.push({
        key: key(`daemon.extraArgs[${index}]`),
        message: `got ${renderValue(arg)}, a flag the stack sets itself ${owner.startsWith("(") ? owner : `via ${key(owner)}`}; allowed: any other dockerd flag`,
      });
    }
  });
}

/** Variables the stack sets in client containers; a client's env may not override them. */
const RESERVED_CLIENT_ENV = ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG", "DIND_STACK_REGISTRY", "DIND_STACK_BUILD_CACHE", "DIND_READY_TIMEOUT"];

function checkClientEnv(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  settings.workloads.clients.forEach((client, index) => {
    for (const name of Object.keys(client.env)) {
      if (RESERVED_CLIENT_ENV.includes(name)) {
        problems.push({
          key: key(`workloads.clients[${index}].env.${name}`),
          message: `got a variable the stack sets itself (it points the client at its daemon and registry); allowed: any name but ${RESERVED_CLIENT_ENV.join(", ")}`,
        });
      }
    }
  });
}

function checkUniqueClientNames(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  const firstIndex = new Map<string, number>();
  settings.workloads.clients.forEach((client, index) => {
    const first = firstIndex.get(client.name);
    if (first === undefined) {
      firstIndex.set(client.name, index);
    } else {
      problems.push({
        key: key(`workloads.clients[${index}]`),
        message: `got duplicate client name ${renderValue(client.name)} (also at [${first}]); allowed: each client name once`,
      });
    }
  });
}

/** Addresses that only this machine reaches. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

function checkExposure(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  const { bindAddress, auth, allowUnauthenticatedExposure } = settings.registry;
  const loopback = LOOPBACK.check(bindAddress, bindAddress.includes(":") ? "ipv6" : "ipv4");
  if (!loopback && !auth && !allowUnauthenticatedExposure) {
    problems.push({
      key: key("registry.bindAddress"),
      message:
        `got ${renderValue(bindAddress)} without ${key("registry.auth")}: anyone who reaches that address could push and pull` +
        `${bindAddress === "0.0.0.0" || bindAddress === "::" ? " (it publishes on every interface)" : ""}; ` +
        `allowed: a loopback address (127.0.0.0/8, ::1), or registry.auth, or ${key("registry.allowUnauthenticatedExposure")}: true to publish it without auth on purpose`,
    });
  }
}

function checkDistinctNames(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  const { registry, workloads } = settings;
  const taken = "allowed: a name no other container of the stack's network uses";
  if (registry.alias === MIRROR_ALIAS) {
    problems.push({ key: key("registry.alias"), message: `got ${renderValue(registry.alias)}, the name of the stack's read-only mirror registry; ${taken}` });
  }
  if (workloads.daemonAlias === MIRROR_ALIAS) {
    problems.push({ key: key("workloads.daemonAlias"), message: `got ${renderValue(workloads.daemonAlias)}, the name of the stack's read-only mirror registry; ${taken}` });
  } else if (registry.alias === workloads.daemonAlias) {
    problems.push({ key: key("workloads.daemonAlias"), message: `got ${renderValue(workloads.daemonAlias)}, the same name as ${key("registry.alias")}; ${taken}` });
  }
}

/** The outside world plus the stack's name (some defaults derive from it). */
export interface StackRuleContext extends RuleContext {
  /** The stack's name. */
  stack: string;
}

interface Rule {
  /** Keys the rule reads (`[]` stands for every list index); a rule is skipped when one of them, or a key around it, already has a problem. */
  reads: string[];
  check: (settings: Settings, context: StackRuleContext, problems: Problem[]) => void;
}

const RULES: readonly Rule[] = [
  { reads: ["dindImage"], check: checkChecksum },
  { reads: ["dindImage.localTarball"], check: checkTarball },
  { reads: ["dindImage.arch", "dindImage.buildx", "dindImage.compose"], check: checkPluginChecksums },
  { reads: ["dindImage.buildx.localFile", "dindImage.compose.localFile"], check: checkPluginFiles },
  { reads: ["target", "dindImage", "kubernetes.dindImage"], check: (settings, _context, problems) => checkAdvisories(settings, problems) },
  { reads: ["mode", "workloads.allowDood"], check: checkDood },
  { reads: ["target", "registry", "registryPassword", "registryProxyPassword"], check: checkSecrets },
  { reads: ["daemon.extraArgs"], check: checkExtraArgs },
  { reads: ["workloads.clients[].env"], check: checkClientEnv },
  { reads: ["workloads.clients[].name"], check: checkUniqueClientNames },
  { reads: ["registry.bindAddress", "registry.auth", "registry.allowUnauthenticatedExposure"], check: checkExposure },
  { reads: ["registry.alias", "workloads.daemonAlias"], check: checkDistinctNames },
  { reads: ["target", "registry.volumeName", "registry.hostPath", "workloads.dataVolumeName"], check: (settings, context, problems) => checkVolumeNames(settings, context.stack, problems) },
  { reads: ["dindImage.downloadUrl", "registry.proxy", "daemon.registryMirrors"], check: (settings, _context, problems) => checkUrlCredentials(settings, problems) },
  { reads: ["target", "kubernetes.dindImage", "dindImagePassword"], check: (settings, _context, problems) => checkClusterImage(settings, problems) },
  { reads: ["target", "mode", "kubernetes.sidecar", "kubernetes.clusterVersion", "kubernetes.dindCache", "kubernetes.dindCacheAccessMode"], check: (settings, _context, problems) => checkSidecar(settings, problems) },
  { reads: ["target", "kubernetes.namespaces"], check: (settings, context, problems) => checkNamespaces(settings, context.stack, problems) },
  { reads: ["target", "mode", "kubernetes.nodeCidrs", "kubernetes.runtimeClassName"], check: (settings, _context, problems) => checkClusterDood(settings, problems) },
  { reads: ["target", "mode", "kubernetes.resources", "kubernetes.dataVolumeSize", "kubernetes.dindCache", "kubernetes.dindStorage"], check: (settings, _context, problems) => checkResources(settings, problems) },
  { reads: ["target", "kubernetes.placement"], check: (settings, _context, problems) => checkPlacement(settings, problems) },
  { reads: ["target", "mode", "kubernetes.registryTls"], check: (settings, _context, problems) => checkRegistryTls(settings, problems) },
  {
    reads: ["target", "registry.image", "registry.alias", "kubernetes.dindImage", "kubernetes.clusterDomain", "kubernetes.namespaces", "workloads.clients[].image"],
    check: (settings, context, problems) => checkNodePullable(settings, context.stack, problems),
  },
  { reads: ["target", "registry.auth", "registry.allowUnauthenticatedExposure", "registryPassword"], check: (settings, context, problems) => checkClusterRegistryAuth(settings, context.stack, problems) },
  { reads: ["target", "registry.hostPath", "registry.volumeName", "registry.restoreArchive", "registry.restoreSizeLimit"], check: checkRegistryStorage },
  { reads: ["mirror[].source", "mirror[].repository"], check: checkMirrorNames },
  { reads: ["mirror[].source", "mirror[].archive", "mirror[].digest"], check: checkMirrorArchives },
  { reads: ["mirror[].source", "mirror[].archive"], check: checkMirrorPulls },
  { reads: ["target", "mirror", "registry.proxy"], check: checkMirrorTarget },
  { reads: ["target", "registry", "workloads.daemonAlias", "workloads.dataVolumeName", "kubernetes"], check: (settings, _context, problems) => checkTargetKeys(settings, problems) },
];

/**
 * Rules that involve more than one key, or the file system; each broken rule adds a problem.
 * Runs after the per-field checks, so all problems of a config are reported in one go.
 */
export function checkRules(settings: Settings, context: StackRuleContext, problems: Problem[]): void {
  const alreadyWrong = problems.map((problem) => problem.key.replace(/\[\d+\]/g, "[]"));
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  const touches = (read: string) => alreadyWrong.some((wrong) => within(wrong, key(read)) || within(key(read), wrong));
  for (const rule of RULES) {
    if (!rule.reads.some(touches)) rule.check(settings, context, problems);
  }
}
