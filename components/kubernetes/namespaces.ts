import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespaceNames, objectLabels } from "./labels";
import { PodSecurityLevel, podSecurityLabels } from "./pod-security";

/** The roles of the stack's two namespaces. */
export type NamespaceRole = "registry" | "runners";

/** One of the stack's namespaces, and whether the stack owns it. */
export interface StackNamespace {
  /** The namespace's name. */
  name: string;
  /**
   * True for the stack's own namespace (its default name, dind-stack-<stack>-<role>): the stack
   * creates it and deletes it unless it holds kept data. False for a namespace the config names:
   * someone else's, of which only the Pod Security labels are the stack's.
   */
  owned: boolean;
}

/**
 * The stack's namespaces. The stack owns the names it derives from its own name; any other
 * name comes from the config and may be a namespace that exists already, with objects of others
 * in it: the stack must never adopt it for deletion. A configured name equal to the default is
 * the default (setting it changes nothing).
 */
export function stackNamespaces(stack: string, configured: { registry?: string; runners?: string }): Record<NamespaceRole, StackNamespace> {
  const defaults = namespaceNames(stack, {});
  const names = namespaceNames(stack, configured);
  return {
    registry: { name: names.registry, owned: names.registry === defaults.registry },
    runners: { name: names.runners, owned: names.runners === defaults.runners },
  };
}

/**
 * The level the runners' namespace enforces: privileged when a pod needs it (a privileged
 * DinD daemon, or DooD's hostPath socket), baseline when a sandboxing runtime (e.g.
 * sysbox-runc) runs the daemon without privilege.
 */
export function runnerNamespaceLevel(mode: "dind" | "dood", runtimeClassName: string | undefined): PodSecurityLevel {
  return mode === "dind" && runtimeClassName ? "baseline" : "privileged";
}

/** A namespace of the stack that enforces a Pod Security level. */
export function namespaceArgs(stack: string, name: string, role: NamespaceRole, level: PodSecurityLevel, clusterVersion?: string): k8s.core.v1.NamespaceArgs {
  return { metadata: { name, labels: { ...objectLabels(stack, `${role}-namespace`), ...podSecurityLabels(level, clusterVersion) } } };
}

/** The Pod Security labels the stack applies to a namespace it uses but does not own: nothing else of it is the stack's. */
export function namespacePatchArgs(name: string, level: PodSecurityLevel, clusterVersion?: string): k8s.core.v1.NamespacePatchArgs {
  return { metadata: { name, labels: podSecurityLabels(level, clusterVersion) } };
}

/** What declaring one of the stack's namespaces needs. */
export interface NamespaceDeclaration {
  /** Stack name, for labels. */
  stack: string;
  /** The namespace. */
  namespace: StackNamespace;
  /** Its role. */
  role: NamespaceRole;
  /** The Pod Security level it enforces. */
  level: PodSecurityLevel;
  /** The cluster's minor version, which the level's policy version is pinned to (latest when unknown). */
  clusterVersion?: string;
  /** For an owned namespace: keep it on delete (it holds data that must outlive the stack's objects). */
  retainOnDelete: boolean;
}

/**
 * Declares one of the stack's namespaces and returns its name, for the objects in it to wait
 * for. The stack's own is a Namespace. For a namespace it does not own, a NamespacePatch applies
 * only the Pod Security labels by server-side apply, under a field manager of its own: deleting
 * the patch (destroy, or another name in the config) gives back exactly those labels, and the
 * namespace and everything else in it stay (pulumi-kubernetes deletes a Patch resource by
 * relinquishing its fields, provider/pkg/await/await.go `Deletion` and ssa/actions.go
 * `Relinquish`; a label another manager set to another value fails the apply as a conflict
 * instead of being taken over, since the patch does not force). A name that does not exist yet
 * is created by that apply, and is not deleted either.
 */
export function declareNamespace(resourceName: string, declaration: NamespaceDeclaration, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const { stack, namespace, role, level, clusterVersion } = declaration;
  if (namespace.owned) {
    return new k8s.core.v1.Namespace(resourceName, namespaceArgs(stack, namespace.name, role, level, clusterVersion), { ...opts, retainOnDelete: declaration.retainOnDelete }).metadata.name;
  }
  return new k8s.core.v1.NamespacePatch(`${resourceName}-labels`, namespacePatchArgs(namespace.name, level, clusterVersion), opts).metadata.name;
}
