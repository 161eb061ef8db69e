// A refused storage class change names the config key the user set, as written in the stack's
// config (namespace included), so `pulumi config set` can be run with it.
// storageClassConflict called directly.
import { NAMESPACE } from "../../../components/config/schema";
import { storageClassConflict } from "../../../components/kubernetes/storage-class";

test("the refusal starts with the key, namespace included", () => {
  for (const existing of ["fast", undefined]) {
    const reason = storageClassConflict("the registry's claims", "slow", existing)!;
    expect(reason.startsWith(`${NAMESPACE}:kubernetes.storageClassName`)).toBe(true);
  }
});
