import { RegistrySettings } from "../config/schema";

/** Hosts that serve Docker Hub's registry API. */
const DOCKER_HUB_HOSTS = ["registry-1.docker.io", "index.docker.io", "docker.io", "registry.hub.docker.com"];

/**
 * The URL under which DinD daemons use the stack's registry as their Docker Hub mirror
 * (daemon.json `registry-mirrors`), so `FROM nginx:alpine` is served from
 * `library/nginx:alpine` there when it was mirrored and from Docker Hub otherwise; undefined
 * where it cannot serve as one: with `auth`, because a daemon sends a mirror the credentials
 * it holds for Docker Hub, not the registry's, and as a pull-through cache of any registry
 * but Docker Hub, whose content is not Hub's.
 */
export function hubMirrorUrl(settings: RegistrySettings, networkAddress: string): string | undefined {
  if (settings.auth) return undefined;
  if (settings.proxy && !DOCKER_HUB_HOSTS.includes(new URL(settings.proxy.remoteUrl).hostname)) return undefined;
  return `http://${networkAddress}`;
}
