import { RegistrySettings } from "../config/schema";

/** Hosts that serve Docker Hub's registry API. */
const DOCKER_HUB_HOSTS = ["registry-1.docker.io", "index.docker.io", "docker.io", "registry.hub.docker.com"];

/**
 * The URL under which the DinD daemons use the stack's registry as their Docker Hub mirror
 * (daemon.json `registry-mirrors`), or undefined where it must not serve as one. Only a
 * pull-through cache of Docker Hub qualifies: distribution refuses pushes to a cache, so what
 * `FROM nginx:alpine` resolves to comes from Docker Hub alone. A registry the runners push to
 * never does (any runner, or a nested container through it, could replace `library/node:20`
 * for every later build: the mirror list has a read-only mirror registry for that), nor one
 * with `auth` (a daemon sends a mirror the credentials it holds for Docker Hub).
 */
export function hubMirrorUrl(settings: RegistrySettings, networkAddress: string): string | undefined {
  if (settings.auth || !settings.proxy) return undefined;
  if (!DOCKER_HUB_HOSTS.includes(new URL(settings.proxy.remoteUrl).hostname)) return undefined;
  return `http://${networkAddress}`;
}
