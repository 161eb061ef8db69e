import * as fs from "node:fs";
import * as path from "node:path";
import { engine } from "../engine";
import { runToCompletion } from "../host-side";
import { MountSource } from "./container-options";
import { Fields, onlyFields, onlyValues } from "./fields";
import { quantityValue } from "../../../../components/kubernetes/quantity";

/** What realizing a pod's volumes needs from the cluster and the pod. */
export interface VolumeContext {
  /** Path of the pod in messages. */
  where: string;
  /** The pod's namespace. */
  namespace: string;
  /** Prefix of the Docker objects made for this pod. */
  objectPrefix: string;
  /** Directory on the engine's host for this pod's ConfigMap and Secret volumes (the kubelet's pod directory). */
  hostDir: string;
  /** Labels put on the Docker volumes. */
  labels: Record<string, string>;
  /** A ConfigMap or Secret of the cluster, if it exists. */
  lookup(kind: "ConfigMap" | "Secret", namespace: string, name: string): Fields | undefined;
  /** The Docker volume standing for a bound volume claim, if the claim exists. */
  claimVolume(namespace: string, claim: string): string | undefined;
  /** The pod's securityContext (fsGroup, fsGroupChangePolicy). */
  podSecurity: Fields;
}

/** The kubelet's ownership masks: read-only volumes get 0440 (read-write ones 0660), directories also 0110 and setgid. */
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;

/**
 * What the kubelet does to a volume for a pod with fsGroup (SetVolumeOwnership): every file and
 * directory gets the group fsGroup and the group bits of the mask, directories the setgid bit.
 * With fsGroupChangePolicy OnRootMismatch nothing is done when the volume's root already fits.
 * This runs in a helper container, since the volume lives in the engine.
 */
async function ownDockerVolume(volume: string, fsGroup: number, policy: string | undefined): Promise<void> {
  const script = [
    "set -eu",
    `if [ "${policy ?? "Always"}" = OnRootMismatch ] && [ "$(stat -c %g /v)" = ${fsGroup} ] && [ $(( 0$(stat -c %a /v) & 02770 )) -eq $(( 02770 )) ]; then exit 0; fi`,
    `find /v -exec chgrp -h ${fsGroup} {} +`,
    // The read-write mask 0660, plus 0110 and setgid on directories.
    "find /v -type d -exec chmod ug+rwx,g+s {} +",
    "find /v ! -type d ! -type l -exec chmod ug+rw {} +",
  ].join("\n");
  const result = await runToCompletion({ Image: "debian:bookworm-slim", Cmd: ["sh", "-c", script], HostConfig: { Binds: [`${volume}:/v`], NetworkMode: "none" } });
  if (result.exitCode !== 0) throw new Error(`kubelet: setting fsGroup ${fsGroup} on volume ${volume} failed: ${result.log}`);
}

/** The same for a directory on this host (ConfigMap and Secret volumes, always read-only). */
function ownHostDir(root: string, fsGroup: number): void {
  const visit = (file: string) => {
    const info = fs.lstatSync(file);
    fs.lchownSync(file, info.uid, fsGroup);
    if (info.isSymbolicLink()) return;
    fs.chmodSync(file, (info.mode & 0o7777) | RO_MASK | (info.isDirectory() ? EXEC_MASK | 0o2000 : 0));
    if (info.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
  };
  visit(root);
}

/**
 * Writes a ConfigMap's or Secret's keys the way the kubelet's atomic writer does: the files in
 * a timestamped directory, `..data` pointing at it, and one symlink per file through `..data`.
 * When the directory was written before (the object changed), the new timestamped directory
 * replaces the old one in a single rename of `..data`, symlinks of keys no longer there go,
 * and the old directory is removed: a reader sees the old files or the new ones, never a mix,
 * and a subPath mount of an old file keeps that file.
 */
function writeAtomically(dir: string, files: { path: string; content: Buffer; mode: number }[]): void {
  const stamp = `..${new Date().toISOString().replace(/[-:.TZ]/g, "_")}${process.hrtime.bigint() % 1000000n}`;
  fs.mkdirSync(path.join(dir, stamp), { recursive: true, mode: 0o755 });
  for (const file of files) {
    const target = path.join(dir, stamp, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    fs.writeFileSync(target, file.content);
    fs.chmodSync(target, file.mode);
  }
  const data = path.join(dir, "..data");
  const old = fs.existsSync(data) ? fs.readlinkSync(data) : undefined;
  fs.symlinkSync(stamp, path.join(dir, "..data_tmp"));
  fs.renameSync(path.join(dir, "..data_tmp"), data);
  const tops = new Set(files.map((file) => file.path.split("/")[0]));
  for (const entry of fs.readdirSync(dir)) if (!entry.startsWith("..") && !tops.has(entry)) fs.unlinkSync(path.join(dir, entry));
  for (const top of tops) if (!fs.lstatSync(path.join(dir, top), { throwIfNoEntry: false })) fs.symlinkSync(path.join("..data", top), path.join(dir, top));
  if (old) fs.rmSync(path.join(dir, old), { recursive: true, force: true });
}

/** The keys of a ConfigMap or Secret and their bytes. */
function keysOf(object: Fields, kind: "ConfigMap" | "Secret"): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const [key, value] of Object.entries<string>(object.data ?? {})) keys.set(key, kind === "Secret" ? Buffer.from(value, "base64") : Buffer.from(value));
  for (const [key, value] of Object.entries<string>(object.stringData ?? {})) keys.set(key, Buffer.from(value));
  return keys;
}

/** A ConfigMap or Secret volume: its keys (or the listed items) as files in a host directory, mounted read-only; written again when the object changed. */
export function projectVolume(volume: Fields, kind: "ConfigMap" | "Secret", context: VolumeContext): MountSource {
  const source: Fields = kind === "ConfigMap" ? volume.configMap : volume.secret;
  const where = `${context.where}.volumes[${volume.name}].${kind === "ConfigMap" ? "configMap" : "secret"}`;
  onlyFields(where, source, kind === "ConfigMap" ? ["name", "items", "defaultMode"] : ["secretName", "items", "defaultMode"]);
  const name = kind === "ConfigMap" ? source.name : source.secretName;
  const object = context.lookup(kind, context.namespace, name);
  if (!object) throw new Error(`kubelet: ${where} refers to ${kind} ${context.namespace}/${name}, which does not exist (the pod would stay in ContainerCreating)`);
  const keys = keysOf(object, kind);
  const mode = source.defaultMode ?? 0o644;
  const items: Fields[] = source.items ?? [...keys.keys()].map((key) => ({ key, path: key }));
  const files = items.map((item, index) => {
    onlyFields(`${where}.items[${index}]`, item, ["key", "path", "mode"]);
    const content = keys.get(item.key);
    if (!content) throw new Error(`kubelet: ${where}.items[${index}] names key "${item.key}", which ${kind} ${name} does not have`);
    return { path: item.path, content, mode: item.mode ?? mode };
  });
  const dir = path.join(context.hostDir, volume.name);
  writeAtomically(dir, files);
  if (context.podSecurity.fsGroup !== undefined) ownHostDir(dir, context.podSecurity.fsGroup);
  return { type: "bind", source: dir, readOnly: true };
}

/** An emptyDir: a Docker volume of the pod, on the engine's disk or (medium Memory) a tmpfs shared by the pod's containers. */
async function emptyDir(volume: Fields, context: VolumeContext): Promise<MountSource> {
  const where = `${context.where}.volumes[${volume.name}].emptyDir`;
  onlyFields(where, volume.emptyDir, ["medium", "sizeLimit"]);
  onlyValues(`${where}.medium`, volume.emptyDir.medium, ["", "Memory"], "no huge pages on the engine");
  const memory = volume.emptyDir.medium === "Memory";
  // On disk, sizeLimit is enforced by the kubelet's eviction manager (it evicts the pod above
  // it), which the harness does not run: only the quantity is checked.
  if (!memory && volume.emptyDir.sizeLimit !== undefined) quantityValue(volume.emptyDir.sizeLimit);
  const size = volume.emptyDir.sizeLimit === undefined ? "" : `,size=${Math.round(quantityValue(volume.emptyDir.sizeLimit))}`;
  const name = `${context.objectPrefix}-emptydir-${volume.name}`;
  await engine.createVolume({
    Name: name,
    Labels: context.labels,
    ...(memory ? { Driver: "local", DriverOpts: { type: "tmpfs", device: "tmpfs", o: `mode=0777${size}` } } : {}),
  });
  return { type: "volume", source: name, readOnly: false };
}

/** A hostPath volume: the engine host's path, after the check its type asks for. */
function hostPath(volume: Fields, context: VolumeContext): MountSource {
  const where = `${context.where}.volumes[${volume.name}].hostPath`;
  onlyFields(where, volume.hostPath, ["path", "type"]);
  const checks: Record<string, (info: fs.Stats) => boolean> = { Socket: (info) => info.isSocket(), Directory: (info) => info.isDirectory(), File: (info) => info.isFile() };
  const check = checks[volume.hostPath.type];
  if (!check) throw new Error(`kubelet: ${where}.type ${JSON.stringify(volume.hostPath.type)} is not realized (only ${Object.keys(checks).join(", ")})`);
  const info = fs.statSync(volume.hostPath.path, { throwIfNoEntry: false });
  if (!info || !check(info)) throw new Error(`kubelet: ${where}: ${volume.hostPath.path} is not a ${volume.hostPath.type} on this node`);
  return { type: "bind", source: volume.hostPath.path, readOnly: false };
}

/** Realizes every volume of a pod (ownership through fsGroup included) and returns how each is mounted. */
export async function realizeVolumes(volumes: Fields[], context: VolumeContext): Promise<Map<string, MountSource>> {
  fs.mkdirSync(context.hostDir, { recursive: true });
  const sources = new Map<string, MountSource>();
  const { fsGroup, fsGroupChangePolicy } = context.podSecurity;
  for (const volume of volumes) {
    onlyFields(`${context.where}.volumes[${volume.name}]`, volume, ["name", "emptyDir", "configMap", "secret", "persistentVolumeClaim", "hostPath"]);
    let source: MountSource;
    if (volume.emptyDir) source = await emptyDir(volume, context);
    else if (volume.configMap) source = projectVolume(volume, "ConfigMap", context);
    else if (volume.secret) source = projectVolume(volume, "Secret", context);
    else if (volume.hostPath) source = hostPath(volume, context);
    else if (volume.persistentVolumeClaim) {
      onlyFields(`${context.where}.volumes[${volume.name}].persistentVolumeClaim`, volume.persistentVolumeClaim, ["claimName"]);
      const claim = context.claimVolume(context.namespace, volume.persistentVolumeClaim.claimName);
      if (!claim) throw new Error(`kubelet: volume claim ${context.namespace}/${volume.persistentVolumeClaim.claimName} does not exist (the pod would stay Pending)`);
      source = { type: "volume", source: claim, readOnly: false };
    } else throw new Error(`kubelet: ${context.where}.volumes[${volume.name}] has no volume source the harness realizes`);
    if (source.type === "volume" && fsGroup !== undefined) await ownDockerVolume(source.source, fsGroup, fsGroupChangePolicy);
    sources.set(volume.name, source);
  }
  return sources;
}

/** The host path a subPath mount binds: the resolved file or directory inside the volume (it may not leave the volume). */
export function resolveSubPath(source: string, subPath: string): string {
  const resolved = fs.realpathSync(path.join(source, subPath));
  if (!resolved.startsWith(`${fs.realpathSync(source)}${path.sep}`)) throw new Error(`kubelet: subPath ${subPath} leaves its volume`);
  return resolved;
}
