// What a refused storage class change tells the user: which class the claims were made with
// (before it says what is allowed), and where the way to move the claims is described.
// storageClassConflict called directly.
import * as fs from "node:fs";
import * as path from "node:path";
import { storageClassConflict } from "../../../components/kubernetes/storage-class";
import { REPO_ROOT } from "../../support/stack-config";

describe("a refused storage class change", () => {
  test("claims made with a named class: the reason names that class as what they have, and never the cluster's default", () => {
    const reason = storageClassConflict("the registry's claims", "slow", "fast")!;
    const [had] = reason.split("allowed:");
    expect(had).toMatch(/"slow".*"fast"/);
    expect(reason).not.toMatch(/default/);
  });

  test("the reason points to the document that describes moving the claims, and that document does", () => {
    const reason = storageClassConflict("the registry's claims", "slow", undefined)!;
    const [, allowed] = reason.split("allowed:");
    const doc = /docs\/[\w-]+\.md/.exec(allowed)?.[0];
    expect(doc).toBeDefined();
    expect(fs.readFileSync(path.join(REPO_ROOT, doc!), "utf8")).toMatch(/To move to another class/);
  });
});
