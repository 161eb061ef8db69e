import { engine } from "./engine";
import { followStream } from "./progress";

// docker.Tag and docker.RegistryImage as kreuzwerker/terraform-provider-docker v4.5.0 acts them
// out (internal/provider/resource_docker_tag_funcs.go, resource_docker_registry_image_funcs.go),
// for the fields this project sets.

type Fields = Record<string, any>;

/** Registry credentials as a RegistryImage's authConfig carries them. */
interface AuthConfig {
  /** Registry address, with http:// for a plain-HTTP registry. */
  address: string;
  /** User, when the registry needs one. */
  username?: string;
  /** Password, when the registry needs one. */
  password?: string;
}

/** Splits `host:port/path:tag` into registry, repository and tag, as the provider's parseImageOptions does for a name with a registry host. */
export function splitPushName(name: string): { registry: string; repository: string; tag: string } {
  const slash = name.indexOf("/");
  const rest = name.slice(slash + 1);
  const colon = rest.lastIndexOf(":");
  if (slash < 0 || colon < 0) throw new Error(`harness: push name ${name} has no registry host or no tag`);
  return { registry: name.slice(0, slash), repository: rest.slice(0, colon), tag: rest.slice(colon + 1) };
}

/** Tag create: `docker tag source target`, then the source's image ID (provider id `<source>.<target>`). */
export async function realizeTag(inputs: Fields): Promise<{ id: string; state: Fields }> {
  const target = splitPushName(inputs.targetImage);
  await engine.getImage(inputs.sourceImage).tag({ repo: `${target.registry}/${target.repository}`, tag: target.tag });
  const source = await engine.getImage(inputs.sourceImage).inspect();
  return { id: `${inputs.sourceImage}.${inputs.targetImage}`, state: { ...inputs, sourceImageId: source.Id } };
}

/**
 * The provider's digest read: HEAD on the manifest with the v2/OCI manifest and index types
 * accepted, basic auth when a user is given; the Docker-Content-Digest header.
 */
export async function readRegistryDigest(name: string, auth: AuthConfig): Promise<string> {
  const { repository, tag } = splitPushName(name);
  const headers: Record<string, string> = {
    accept: [
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
    ].join(", "),
  };
  if (auth.username) headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ""}`).toString("base64")}`;
  const response = await fetch(`${auth.address.replace(/\/$/, "")}/v2/${repository}/manifests/${tag}`, { method: "HEAD", headers });
  const digest = response.headers.get("docker-content-digest");
  if (response.status !== 200 || !digest) throw new Error(`harness: reading the digest of ${name} answered ${response.status}`);
  return digest;
}

/** RegistryImage create: the engine pushes `name` (with the authConfig's user, if any), then the digest is read from the registry (provider id = digest). */
export async function realizeRegistryImage(inputs: Fields): Promise<{ id: string; state: Fields }> {
  const auth: AuthConfig = inputs.authConfig;
  if (!auth?.address) throw new Error(`harness: RegistryImage ${inputs.name} without authConfig.address (the provider would look in its own registryAuth, which the harness does not model)`);
  const authconfig = auth.username ? { username: auth.username, password: auth.password, serveraddress: splitPushName(inputs.name).registry } : {};
  await followStream(await engine.getImage(inputs.name).push({ authconfig }), `push of ${inputs.name}`);
  const digest = await readRegistryDigest(inputs.name, auth);
  return { id: digest, state: { ...inputs, sha256Digest: digest } };
}
