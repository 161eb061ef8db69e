import { engine } from "./engine";
import { followStream } from "./progress";

type Fields = Record<string, any>;

/** The realized build of an Image (id and state), as realizeImage returns it. */
type Built = { id: string; state: Record<string, any> };

/**
 * docker.Image with skipPush false: built as the harness builds every Image, then pushed as
 * the provider does (to the registry in `imageName`, with `registry`'s credentials); the
 * state's repoDigest becomes `<repository>@sha256:...`, the reference a cluster pulls.
 */
export async function realizePushedImage(name: string, inputs: Fields, build: (name: string, inputs: Fields) => Promise<Built>): Promise<Built> {
  const { registry, ...buildInputs } = inputs;
  for (const field of Object.keys(registry ?? {})) {
    if (!["server", "username", "password"].includes(field)) throw new Error(`realizer: Image ${name} sets field "registry.${field}", which the test harness does not realize`);
  }
  const built = await build(name, { ...buildInputs, skipPush: true });
  const imageName: string = inputs.imageName;
  const repository = imageName.slice(0, imageName.lastIndexOf(":"));
  if (registry?.server && !imageName.startsWith(`${registry.server}/`)) throw new Error(`realizer: Image ${name} pushes ${imageName}, which is not in registry ${registry.server}`);
  let digest = "";
  const stream = await engine.getImage(imageName).push({ authconfig: { username: registry?.username, password: registry?.password, serveraddress: registry?.server } });
  await followStream(stream, `push of ${imageName}`, (event) => {
    digest = event.aux?.Digest ?? digest;
  });
  if (!digest) throw new Error(`realizer: the push of ${imageName} reported no digest`);
  return { id: built.id, state: { ...built.state, skipPush: false, registry, repoDigest: `${repository}@${digest}` } };
}
