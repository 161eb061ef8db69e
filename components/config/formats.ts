import { z } from "zod";
import { matching } from "./kinds";
import { allowing } from "./words";

// Value formats shared by several keys: how to recognise them and how to name them in errors.

const NAME_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\\d{1,5})?/)";
const REPOSITORY = `${DOMAIN}?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";

/**
 * An image reference pinned by a tag other than latest or by a digest, as the policy pack's
 * pinned-image-references requires of every image the stack pulls, builds from or runs. A
 * pattern alone, so the stack file's JSON Schema refuses the same references in editors.
 */
export const pinnedImageReference = () =>
  matching(
    new RegExp(`^${REPOSITORY}(?::(?!latest(?:@|$))${TAG}(?:@sha256:[0-9a-f]{64})?|(?::${TAG})?@sha256:[0-9a-f]{64})$`),
    'an image reference with a tag other than latest, or a digest, such as "registry:2" or "mirror.example:5000/library/debian:bookworm-slim" (without a tag Docker takes the moving tag latest)',
  );

/** An image reference without digest, as an image is pulled or saved: `nginx:alpine`, `quay.io/coreos/flannel:v0.11.0-amd64`. */
export const taggedReference = () =>
  matching(
    new RegExp(`^${REPOSITORY}(?::${TAG})?$`),
    'an image reference without digest, such as "nginx:alpine" or "quay.io/coreos/flannel:v0.11.0-amd64"',
  );

/** A repository path in a registry (no registry host), optionally with a tag: `coreos/flannel`, `tools/nginx:1.25`. */
export const localRepository = () =>
  matching(
    new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::${TAG})?$`),
    'a repository path without registry host, optionally with a tag, such as "coreos/flannel" or "tools/nginx:1.25"',
  );

/** An image ID: the sha256 of the image's config, as `docker inspect -f {{.Id}}` prints it. */
export const imageId = () => matching(/^sha256:[0-9a-f]{64}$/, 'an image ID: "sha256:" and 64 lowercase hex digits, as `docker inspect -f {{.Id}}` prints it');

/** An absolute path. */
export const absolutePath = () => matching(/^\/[^\0]*$/, 'an absolute path such as "/srv/registry"');

/** An image repository without tag, such as `dind-stack/dind`. */
export const imageRepository = () => matching(new RegExp(`^${REPOSITORY}$`), 'an image repository without tag, such as "dind-stack/dind"');

/** An image tag other than the moving `latest` (the policy pack refuses an image built under it). */
export const imageTag = () => matching(new RegExp(`^(?!latest$)${TAG}$`), "an image tag other than latest: letters, digits, _ . - (at most 128, not starting with . or -)");

/** A Docker release version as used in static tarball names. */
export const dockerVersion = () => matching(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/, 'a Docker release version such as "24.0.6"');

/** A lowercase hex sha256 sum. */
export const sha256 = () => matching(/^[0-9a-f]{64}$/, "64 lowercase hex digits (the sha256sum of the tarball)");

/** An http(s) URL. */
export const httpUrl = () => matching(/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/, "an http:// or https:// URL");

/** A Debian/Ubuntu package name, optionally pinned with `=version`. */
export const aptPackage = () => matching(/^[a-z0-9][a-z0-9+.-]+(?:=[\w.:~+-]+)?$/, 'a Debian package name such as "git" or "git=1:2.39.5-0+deb12u1"');

/** A DNS label, used for network aliases, client names and Kubernetes names. */
export const dnsLabel = () => matching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "a DNS label: lowercase letters, digits and -, at most 63, not starting or ending with -");

/** A Docker object name (volume, container). */
export const dockerName = () => matching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, "a Docker object name: letters, digits, _ . - (not starting with _ . -)");

/** An IPv4 or IPv6 address. */
export const ipAddress = () => allowing(z.union([z.ipv4(), z.ipv6()]), "an IPv4 or IPv6 address");

/** What dockerd accepts in insecure-registries: host[:port] or a CIDR. */
export const registryHost = () =>
  allowing(
    z.union([z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d{1,5})?$/), z.cidrv4(), z.cidrv6()]),
    'a registry host[:port] or a CIDR, such as "registry:5000" or "10.0.0.0/8"',
  );

/** A size for dockerd's json-file log rotation. */
export const logSize = () => matching(/^\d+[kmg]$/, 'a size with unit k, m or g, such as "10m"');

/** A dockerd command-line flag. */
export const dockerdFlag = () => matching(/^--[a-z][a-z0-9-]*(?:=.*)?$/, 'a dockerd flag such as "--experimental" or "--default-ulimit=nofile=65536:65536"');

/** A Kubernetes resource quantity such as `20Gi`. */
export const k8sQuantity = () => matching(/^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, 'a Kubernetes quantity such as "20Gi"');

/** A size in bytes with an optional decimal or binary unit, such as `500Mi` or `100Gi`. */
export const byteSize = () => matching(/^\d+(?:k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'a size such as "500Mi" or "100Gi" (bytes; units k, M, G, T, Ki, Mi, Gi, Ti)');

/** A CPU or memory quantity, which may be in thousandths (`500m` CPU). */
export const resourceQuantity = () => matching(/^\d+(?:\.\d+)?(?:m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, 'a Kubernetes quantity such as "500m" or "1Gi"');

/** A Kubernetes object name that may contain dots (storage classes, runtime classes). */
export const dnsSubdomain = () =>
  matching(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/, "a DNS subdomain: lowercase letters, digits, - and ., at most 253");

/** A Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export const labelKey = () =>
  matching(
    /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/,
    'a Kubernetes label key such as "node-role.example.com/builds" or "kubernetes.io/hostname"',
  );

/** A Kubernetes label value: at most 63 letters, digits, - _ . (empty allowed). */
export const labelValue = () => matching(/^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, "a label value: at most 63 letters, digits, - _ . starting and ending with a letter or digit");

/** A CA certificate in PEM. */
export const pemCertificate = () =>
  matching(/^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/, "one PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");

/** A Kubernetes minor version. */
export const kubernetesVersion = () => matching(/^1\.\d{1,2}$/, 'a Kubernetes minor version such as "1.30"');

/** An IPv4 or IPv6 address range. */
export const cidr = () => allowing(z.union([z.cidrv4(), z.cidrv6()]), 'a CIDR such as "10.0.0.0/16"');

/** A registry user name (htpasswd forbids ':'). */
export const userName = () => matching(/^[A-Za-z0-9._@-]{1,64}$/, "1 to 64 letters, digits or . _ @ -");

/** A non-empty string without NUL. */
export const nonEmpty = () => matching(/^[^\0]+$/, "a non-empty string");
