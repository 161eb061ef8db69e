import { isIP } from "node:net";

/** A value format shared by several fields: how to recognise it and how to name it in errors. */
export interface Format {
  /** Recognises a valid value. */
  test: (value: string) => boolean;
  /** The format in words, for error messages and the config reference. */
  allowed: string;
}

function matching(pattern: RegExp, allowed: string): Format {
  return { test: (value) => pattern.test(value), allowed };
}

const NAME_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\\d{1,5})?/)";
const REPOSITORY = `${DOMAIN}?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*`;

/** An image reference such as `registry:2`, `debian:bookworm-slim` or `mirror.local:5000/lib/registry@sha256:...`. */
export const IMAGE_REFERENCE = matching(
  new RegExp(`^${REPOSITORY}(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$`),
  'an image reference such as "registry:2" or "mirror.example:5000/library/debian:bookworm-slim"',
);

/** An image repository without tag, such as `dind-stack/dind`. */
export const IMAGE_REPOSITORY = matching(new RegExp(`^${REPOSITORY}$`), 'an image repository without tag, such as "dind-stack/dind"');

/** An image tag. */
export const IMAGE_TAG = matching(/^[\w][\w.-]{0,127}$/, "an image tag: letters, digits, _ . - (at most 128, not starting with . or -)");

/** A Docker release version as used in static tarball names. */
export const DOCKER_VERSION = matching(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/, 'a Docker release version such as "24.0.6"');

/** A lowercase hex sha256 sum. */
export const SHA256 = matching(/^[0-9a-f]{64}$/, "64 lowercase hex digits (the sha256sum of the tarball)");

/** An http(s) URL. */
export const HTTP_URL = matching(/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/, "an http:// or https:// URL");

/** A Debian/Ubuntu package name, optionally pinned with `=version`. */
export const APT_PACKAGE = matching(/^[a-z0-9][a-z0-9+.-]+(?:=[\w.:~+-]+)?$/, 'a Debian package name such as "git" or "git=1:2.39.5-0+deb12u1"');

/** A DNS label, used for network aliases, client names and Kubernetes names. */
export const DNS_LABEL = matching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "a DNS label: lowercase letters, digits and -, at most 63, not starting or ending with -");

/** A Docker object name (volume, container). */
export const DOCKER_NAME = matching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, "a Docker object name: letters, digits, _ . - (not starting with _ . -)");

/** An IPv4 or IPv6 address. */
export const IP_ADDRESS: Format = { test: (value) => isIP(value) !== 0, allowed: "an IPv4 or IPv6 address" };

/** What dockerd accepts in insecure-registries: host[:port] or a CIDR. */
export const REGISTRY_HOST: Format = {
  test: (value) => {
    const cidr = /^(.+)\/(\d{1,3})$/.exec(value);
    if (cidr) return isIP(cidr[1]) !== 0 && Number(cidr[2]) <= (isIP(cidr[1]) === 4 ? 32 : 128);
    return /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d{1,5})?$/.test(value);
  },
  allowed: 'a registry host[:port] or a CIDR, such as "registry:5000" or "10.0.0.0/8"',
};

/** A size for dockerd's json-file log rotation. */
export const LOG_SIZE = matching(/^\d+[kmg]$/, 'a size with unit k, m or g, such as "10m"');

/** A dockerd command-line flag. */
export const DOCKERD_FLAG = matching(/^--[a-z][a-z0-9-]*(?:=.*)?$/, 'a dockerd flag such as "--experimental" or "--default-ulimit=nofile=65536:65536"');

/** A Kubernetes resource quantity such as `20Gi`. */
export const K8S_QUANTITY = matching(/^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, 'a Kubernetes quantity such as "20Gi"');

/** An environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A registry user name (htpasswd forbids ':'). */
export const USER_NAME = matching(/^[A-Za-z0-9._@-]{1,64}$/, "1 to 64 letters, digits or . _ @ -");

/** A non-empty string without NUL. */
export const NON_EMPTY = matching(/^[^\0]+$/, "a non-empty string");
