// dind-stack: one stack per environment (stacks/Pulumi.<stack>.yaml). The config is
// validated as a whole before anything is declared; then the build environment is
// declared on the Docker engine (local, or DOCKER_HOST / docker:host).
import * as pulumi from "@pulumi/pulumi";
import { BuildEnvironment } from "./components/build-environment";
import { loadSettings } from "./components/config/load-settings";
import { usageHint } from "./components/usage-hint";

const stack = pulumi.getStack();
const settings = loadSettings();

const environment = new BuildEnvironment(stack, { settings, stack });

/** The stack's mode: dind or dood. */
export const mode = settings.mode;
/** Registry address on the host, e.g. 127.0.0.1:5000. */
export const registryHostAddress = environment.registryHostAddress;
/** Registry address for containers on the stack's network, e.g. registry:5000. */
export const registryNetworkAddress = environment.registryNetworkAddress;
/** Registry address clients push to. */
export const pushRegistry = environment.pushRegistry;
/** DOCKER_HOST inside the clients. */
export const dockerHost = environment.dockerHost;
/** DOCKER_CERT_PATH inside the clients ("" without TLS). */
export const dockerCertPath = environment.certPath;
/** The DinD image's tag and unique reference. */
export const dindImage = { name: environment.dindImageName, ref: environment.dindImageRef };
/** Client container names. */
export const clientContainers = environment.clientNames;
/** Volumes holding persistent data (kept on destroy unless configured otherwise). */
export const dataVolumes = environment.dataVolumes;
/** DooD only: daemon.json the host needs to push to the registry ("" when none is needed). */
export const hostDaemonJson = environment.hostDaemonJson;
/** How to use the stack, in one line. */
export const usage = pulumi.all(environment.clientNames).apply((names) =>
  usageHint({ mode: settings.mode, firstClient: names[0], pushRegistry: environment.pushRegistry, registryHostAddress: environment.registryHostAddress }),
);
