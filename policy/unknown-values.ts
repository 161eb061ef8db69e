// During a preview, values that depend on resources not created yet are unknown, and
// @pulumi/policy throws its UnknownValueError when a policy reads one. A resource policy that
// does is skipped for that resource with an advisory note (and runs again, on real values,
// before the update changes it); a stack policy would be skipped for the whole stack. The stack
// policies therefore read such values through `readKnown` and decide without them.

/** @pulumi/policy's error for an unknown value (internal to the package, not in its typings). */
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: never[]) => Error };

/** True for the error @pulumi/policy throws when a policy reads a value unknown during a preview. */
export function isUnknownValueError(error: unknown): boolean {
  return error instanceof UnknownValueError;
}

/** The value `read` returns, or undefined when it is not known yet (a preview). */
export function readKnown<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return undefined;
    throw error;
  }
}
