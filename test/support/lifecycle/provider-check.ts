import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RecordedResource } from "../run-program";

/** Go's fs.FileMode.String() (io/fs/format.go) of a file's lstat mode: type and special bits as letters, then rwxrwxrwx. */
export function goFileModeString(mode: number): string {
  const S_IFMT = 0o170000;
  const type = mode & S_IFMT;
  // Go's order of the letters ("dalTLDpSugct?"), for the bits a file on Linux can have.
  const letters = [
    [type === 0o040000, "d"],
    [type === 0o120000, "L"],
    [type === 0o060000 || type === 0o020000, "D"],
    [type === 0o010000, "p"],
    [type === 0o140000, "S"],
    [(mode & 0o4000) !== 0, "u"],
    [(mode & 0o2000) !== 0, "g"],
    [type === 0o020000, "c"],
    [(mode & 0o1000) !== 0, "t"],
  ] as const;
  const prefix = letters.filter(([set]) => set).map(([, letter]) => letter).join("") || "-";
  const rwx = "rwxrwxrwx";
  return prefix + [...rwx].map((letter, index) => ((mode & (1 << (8 - index))) !== 0 ? letter : "-")).join("");
}

/** Every file under `root` as fsutil.Walk visits it: depth first, each directory's entries in name order; directories themselves left out. */
function walk(root: string, dir = ""): string[] {
  const entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(root, relative) : [relative];
  });
}

/**
 * The build context digest pulumi-docker's Image adds in Check, computed as its `hashContext`
 * does (pulumi/pulumi-docker provider/provider.go, `hashContext` and
 * `contextHashAccumulator.hashPath`): the Dockerfile first under the name `Dockerfile` with
 * mode 0, then every file of the context in walk order; for each, its relative path, its mode
 * as Go prints it (`-rw-r--r--`: a changed mode is a changed context), and the sha256 of its
 * bytes (of its target path for a symlink), then a NUL; the digest is the sha256 of all that.
 * A .dockerignore would exclude files; the stack's context has none, so one fails the run.
 */
export function contextDigest(context: string, dockerfile: string): string {
  for (const ignore of [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")]) {
    if (fs.existsSync(ignore)) throw new Error(`lifecycle: ${ignore} exists; the harness does not model .dockerignore exclusions in the context digest`);
  }
  const input: Buffer[] = [];
  const hashPath = (file: string, name: string, mode: number) => {
    const content = (mode & 0o170000) === 0o120000 ? Buffer.from(fs.realpathSync(file)) : fs.readFileSync(file);
    input.push(Buffer.from(name), Buffer.from(goFileModeString(mode)), createHash("sha256").update(content).digest(), Buffer.from([0]));
  };
  hashPath(dockerfile, "Dockerfile", 0);
  for (const file of walk(context)) {
    const full = path.join(context, file);
    hashPath(full, file, fs.lstatSync(full).mode);
  }
  return createHash("sha256").update(Buffer.concat(input)).digest("hex");
}

/**
 * What the provider's Check adds to a resource's inputs before diffing them: for an Image,
 * `build.contextDigest`, so that a changed file in the build context (the entrypoint, the
 * Dockerfile, a tarball, a file's mode) counts as a changed input and rebuilds the image.
 */
export function checkInputs(resource: RecordedResource): void {
  if (resource.type !== "docker:index/image:Image" || !resource.inputs.build?.context) return;
  const build = resource.inputs.build;
  build.contextDigest = contextDigest(build.context, build.dockerfile ?? path.join(build.context, "Dockerfile"));
}
