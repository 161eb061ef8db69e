import { nameOfUrn, RecordedResource } from "./run-program";

/** Type tokens of the docker provider's resources. */
export const DOCKER = {
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  network: "docker:index/network:Network",
  volume: "docker:index/volume:Volume",
  container: "docker:index/container:Container",
} as const;

/** The resources of one type. */
export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((resource) => resource.type === type);
}

/** The one resource with this logical name; fails when absent. */
export function named(resources: RecordedResource[], name: string): RecordedResource {
  const found = resources.find((resource) => resource.name === name);
  if (!found) throw new Error(`no resource named ${name}; have: ${resources.map((resource) => resource.name).join(", ")}`);
  return found;
}

/** True when `later` was registered only after `earlier` finished registering (a real dependency under mocks). */
export function registeredAfter(later: RecordedResource, earlier: RecordedResource): boolean {
  return later.started > earlier.finished;
}

/** Names of the resources `resource` depends on. */
export function dependencyNames(resource: RecordedResource): string[] {
  return resource.options.dependsOn.map(nameOfUrn);
}

/** Name of the resource's parent, if any. */
export function parentName(resource: RecordedResource): string | undefined {
  return resource.options.parent && nameOfUrn(resource.options.parent);
}
