import { destroy, preview, up, DeploymentFailed, DeploymentResult } from "../../support/lifecycle/deployment";
import { withProviderName } from "../../support/lifecycle/kubernetes-naming";
import { isKubernetesType, KUBERNETES_PROVIDER } from "../../support/lifecycle/kubernetes-rules";
import { Step } from "../../support/lifecycle/plan";
import { emptyState, StackState, StateEntry } from "../../support/lifecycle/stack-state";
import { ProgramRun, ProgramVariant, RecordedResource } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";
import { engineOps } from "./engine-ops";
import { privilegeMode } from "./privileges";
import { Realizer } from "./realizer";
import { airGappedImageOverrides } from "./standins";
import { noteStagedStack } from "./staged-stacks";

/** What to deploy: a stack's config file, under a test stack name, with overrides. */
export interface DeployRequest {
  /** The config file to use: stacks/Pulumi.<configOf>.yaml (or examples/, see folder). */
  configOf: string;
  /** Where the config file is: stacks/ (the default) or examples/ (the recipes' example stack files). */
  folder?: "stacks" | "examples";
  /** The stack name to run under (names the Docker objects), e.g. `test-ci`. */
  stack: string;
  /** Top-level config keys (namespace:key) merged over the file's values. */
  overrides?: Record<string, unknown>;
  /** Config keys set as secrets. */
  secretKeys?: string[];
  /**
   * Put the stand-in buildx and compose plugins into the DinD image. Off unless the test uses
   * them: they add 130 MB to every build context, which cost each image build of the engine
   * tests several seconds (the readiness benchmark shows they cost nothing at start-up).
   */
  plugins?: boolean;
}

/** The config a request deploys: the stack file, the overrides, and the air-gapped image build. */
function configOf(request: DeployRequest): Record<string, string> {
  const base = stackConfig(request.configOf, request.folder);
  const requested = (request.overrides ?? {}) as Record<string, Record<string, unknown>>;
  const merged = withOverrides(base, requested);
  const imageConfig = merged["dind-stack:dindImage"] ? JSON.parse(merged["dind-stack:dindImage"]) : {};
  const airGapped = airGappedImageOverrides(imageConfig, request.plugins ?? false);
  // What the request sets wins (a wrong sha256, a download instead of the tarball), but the
  // packages the stand-in binaries need are always added to the configured ones.
  return withOverrides(merged, {
    "dind-stack:dindImage": { ...airGapped, ...requested["dind-stack:dindImage"], extraPackages: airGapped.extraPackages },
  });
}

/**
 * A stack deployed on the engine again and again, as `pulumi up`, `preview` and `destroy`
 * would: it keeps the state of the last deployment, and each call acts on the engine through
 * the provider's own create/update/delete rules (test/support/lifecycle).
 */
export class TestStack {
  /** The state of the last deployment. */
  state: StackState = emptyState();
  private overrides: Record<string, unknown>;
  private readonly realizer = new Realizer(() => privilegeMode());
  private readonly ops = engineOps(this.realizer);

  constructor(private readonly request: DeployRequest) {
    this.overrides = { ...request.overrides };
    noteStagedStack(request.stack);
  }

  /** Changes the stack's config, as an edit of its stack file would: each top-level key's object is merged into the current one. */
  configure(overrides: Record<string, unknown>): void {
    const current = this.overrides as Record<string, unknown>;
    for (const [key, value] of Object.entries(overrides)) {
      const before = current[key];
      current[key] =
        value && typeof value === "object" && !Array.isArray(value) && before && typeof before === "object" ? { ...before, ...value } : value;
    }
  }

  private deployment(variant?: ProgramVariant) {
    return {
      stack: this.request.stack,
      config: configOf({ ...this.request, overrides: this.overrides }),
      secretKeys: this.request.secretKeys,
      state: this.state,
      ops: this.ops,
      variant,
    };
  }

  /** `pulumi up` with the current config (and the program's options changed by `variant`); on failure the state keeps what completed. */
  async up(variant?: ProgramVariant): Promise<DeploymentResult> {
    try {
      const result = await up(this.deployment(variant));
      this.state = result.state;
      return result;
    } catch (error) {
      if (error instanceof DeploymentFailed) this.state = error.state;
      throw error;
    }
  }

  /**
   * Takes over what another version of the program deployed: `state` (a fixture of an earlier
   * release's deployment) becomes this stack's, and its Kubernetes objects are made on the
   * engine's cluster as they were then, under the names they got.
   */
  async adopt(state: StackState): Promise<void> {
    this.state = state;
    for (const entry of state.resources) {
      if (entry.type === KUBERNETES_PROVIDER) await this.realizer.realize(entry.type, entry.name, entry.inputs);
      else if (isKubernetesType(entry.type)) await this.realizer.realize(entry.type, entry.name, withProviderName(entry.name, entry.inputs, entry.outputs));
    }
  }

  /** `pulumi preview` with the current config: the steps `up` would take. */
  preview(): Promise<DeploymentResult> {
    return preview(this.deployment());
  }

  /** `pulumi destroy`; on failure the state keeps what was not deleted. */
  async destroy(): Promise<Step[]> {
    try {
      const result = await destroy(this.state, this.ops);
      this.state = result.state;
      return result.steps;
    } catch (error) {
      if (error instanceof DeploymentFailed) this.state = error.state;
      throw error;
    }
  }

  /** The state's entry of the resource with this logical name (the current one, not a pending delete). */
  entry(name: string): StateEntry | undefined {
    return this.state.resources.find((entry) => entry.name === name && !entry.delete);
  }
}

/** Runs index.ts with the stack's config and realizes every docker resource on the engine (a first `pulumi up`). */
export async function deploy(request: DeployRequest): Promise<ProgramRun> {
  return (await new TestStack(request).up()).run;
}

/** Creates a resource again from the inputs the program declared for it (what a replacement does). */
export async function recreate(resource: RecordedResource): Promise<void> {
  await new Realizer(() => privilegeMode()).realize(resource.type, resource.name, resource.inputs);
}
