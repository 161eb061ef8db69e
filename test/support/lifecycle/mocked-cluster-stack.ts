import { withOverrides } from "../stack-config";
import { ClusterRecordingOps, clusterRecordingOps } from "./cluster-recording-ops";
import { destroy, DeploymentResult, preview, up } from "./deployment";
import { Step } from "./plan";
import { withProviderName } from "./kubernetes-naming";
import { isKubernetesType, KUBERNETES_PROVIDER } from "./kubernetes-rules";
import { emptyState, StackState } from "./stack-state";

/**
 * A stack on the cluster model, deployed again and again under mocks as `pulumi up`, `preview`
 * and `destroy` would; each `up` applies its config changes on top of the earlier ones.
 */
export class MockedClusterStack {
  /** The state of the last deployment. */
  state: StackState = emptyState();
  /** The provider's calls and the cluster model they act on. */
  readonly ops: ClusterRecordingOps = clusterRecordingOps();
  private config: Record<string, string>;

  constructor(
    /** Stack name. */
    readonly stack: string,
    config: Record<string, string>,
    /** Config keys set as secrets. */
    private readonly secretKeys: string[],
  ) {
    this.config = config;
  }

  private next(overrides: Record<string, unknown>): Record<string, string> {
    return withOverrides(this.config, overrides);
  }

  /**
   * Takes over a state left by another version of the program (a fixture of an earlier
   * release's deployment) and the cluster it made: every object of the state is created on the
   * cluster model as the provider created it then, in registration order, with the name it got.
   */
  adopt(state: StackState): void {
    this.state = state;
    for (const entry of state.resources) {
      if (entry.type === KUBERNETES_PROVIDER) this.ops.cluster.configure(entry.inputs);
      else if (isKubernetesType(entry.type)) this.ops.cluster.create(entry.type, withProviderName(entry.name, entry.inputs, entry.outputs), entry.name);
    }
  }

  /** `pulumi up` with these config changes, which later deployments keep. */
  async up(overrides: Record<string, unknown> = {}): Promise<DeploymentResult> {
    this.ops.calls.length = 0;
    this.ops.actions.length = 0;
    const config = this.next(overrides);
    const result = await up({ stack: this.stack, config, secretKeys: this.secretKeys, state: this.state, ops: this.ops });
    this.config = config;
    this.state = result.state;
    return result;
  }

  /** `pulumi preview` of these config changes. */
  preview(overrides: Record<string, unknown>): Promise<DeploymentResult> {
    this.ops.calls.length = 0;
    this.ops.actions.length = 0;
    return preview({ stack: this.stack, config: this.next(overrides), secretKeys: this.secretKeys, state: this.state, ops: this.ops });
  }

  /** `pulumi destroy`. */
  async destroy(): Promise<Step[]> {
    this.ops.actions.length = 0;
    const result = await destroy(this.state, this.ops);
    this.state = result.state;
    return result.steps;
  }

  /** The running pods of a workload, by name. */
  pods(namespace: string, owner: string): string[] {
    return this.ops.cluster.podsOf(namespace, owner).map((pod) => pod.name).sort();
  }

  /** The claims of a namespace, by name. */
  claims(namespace: string): string[] {
    return [...this.ops.cluster.claims.values()].filter((claim) => claim.namespace === namespace).map((claim) => claim.name).sort();
  }
}
