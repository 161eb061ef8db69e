import { removeByNamePrefix, removeTestObjects } from "./cleanup";
import { TestStack } from "./deploy";
import { removeHostImage } from "./host-side";
import { ensureBusybox } from "./test-images";

/** What a lifecycle scenario needs around it. */
export interface ScenarioHooks {
  /** The stack's name prefix (`dind-stack-<stack>`): leftovers of an aborted run under it are removed before and after. */
  prefix: string;
  /** Makes the busybox test image before the scenario. */
  busybox?: boolean;
  /** Images the scenario leaves on the host's engine (pushed or pulled there), removed after it. */
  hostImages?: string[];
}

/**
 * Registers the hooks of a lifecycle scenario: before it, the stack's leftovers removed (and
 * busybox made); after it, the stack destroyed, its host images and everything labelled for
 * this run removed, and its leftovers again (retained volumes included).
 */
export function scenarioHooks(stack: TestStack, hooks: ScenarioHooks): void {
  beforeAll(async () => {
    await removeByNamePrefix(hooks.prefix);
    if (hooks.busybox) await ensureBusybox();
  }, 300_000);

  afterAll(async () => {
    await stack.destroy().catch(() => undefined);
    for (const image of hooks.hostImages ?? []) await removeHostImage(image);
    await removeTestObjects({ images: false });
    await removeByNamePrefix(hooks.prefix);
  }, 120_000);
}
