import { ContainerView } from "./container-view";
import { DOCKER_CONTAINER, DockerContainerInputs, dockerContainerView } from "./docker-container";
import { imageReferenceOf } from "./image-origin";
import { PodView, podViewOf } from "./kubernetes-pod";
import { contentOf, requiresAuth } from "./registry-auth";
import { ResourceInput } from "./resource-input";
import { ImageKind, imageKindOf, Role, roleOf } from "./roles";
import { TrustedImages } from "./trusted-images";
import { readKnown } from "./unknown-values";

/** The containers a resource declares: a Docker container, or every container of a Kubernetes pod template. */
export function containersOf(resource: ResourceInput): ContainerView[] {
  if (resource.type === DOCKER_CONTAINER) return [dockerContainerView(resource.name, resource.props as DockerContainerInputs)];
  return podViewOf(resource.type, resource.name, resource.props)?.containers ?? [];
}

/** A container of the stack with the role it plays there. */
export interface JudgedContainer {
  /** The container. */
  view: ContainerView;
  /** The image reference it runs, as far as the stack tells (see image-origin.ts). */
  image?: string;
  /** The part its image plays in the stack, if any. */
  kind?: ImageKind;
  /** What it is: the DinD daemon, a registry, or nothing in particular (undefined). */
  role?: Role;
  /** For a registry: the config file its command loads requires authentication. */
  authenticated: boolean;
}

/** A resource of the stack that declares containers, and those containers judged. */
export interface JudgedResource {
  /** The resource. */
  resource: ResourceInput;
  /** Its pod template, for the Kubernetes kinds that carry pods. */
  pod?: PodView;
  /** Its containers. */
  containers: JudgedContainer[];
}

function judge(resource: ResourceInput, view: ContainerView, resources: readonly ResourceInput[], trusted: TrustedImages): JudgedContainer {
  const image = imageReferenceOf(resource, readKnown(() => view.image));
  const kind = imageKindOf(image, trusted);
  const role = roleOf(kind, view);
  const configPath = role?.kind === "registry" ? role.configPath : undefined;
  const authenticated = configPath !== undefined && requiresAuth(contentOf(view.fileSource(configPath), resources), view.env);
  return { view, image, kind, role, authenticated };
}

/** Every resource of the stack that declares containers, each container with its role. */
export function judgeStack(resources: readonly ResourceInput[], trusted: TrustedImages): JudgedResource[] {
  return resources.flatMap((resource) => {
    const pod = podViewOf(resource.type, resource.name, resource.props);
    const views = pod?.containers ?? (resource.type === DOCKER_CONTAINER ? containersOf(resource) : []);
    return views.length === 0 ? [] : [{ resource, pod, containers: views.map((view) => judge(resource, view, resources, trusted)) }];
  });
}
