import { problemLines, ruleContext } from "../../support/config-problems";

// A value already refused is reported once: the cross-key rules that read it are skipped. That
// holds for a client at any position of the list, the eleventh as well as the second.

/** Clients builder-0 ... builder-<count-1>, the last renamed to `builder-0` (a duplicate name). */
function clientsWithLastDuplicate(count: number) {
  const clients = Array.from({ length: count }, (_, index) => ({ name: `builder-${index}` }));
  clients[count - 1] = { name: "builder-0" };
  return clients;
}

/** A context in which the stack file stores the last client's name encrypted. */
function lastNameSecret(count: number) {
  return { ...ruleContext([], ["workloads"]), secureLeaves: (name: string) => (name === "workloads" ? [["clients", count - 1, "name"]] : []) };
}

test.each([2, 11])("a client name stored as a secret, at index %i of %i clients, is reported once at its key", (count) => {
  const lines = problemLines({ workloads: { clients: clientsWithLastDuplicate(count) } }, lastNameSecret(count));
  expect(lines.map((line) => line.slice(0, line.indexOf(": ")))).toEqual([`dind-stack:workloads.clients[${count - 1}].name`]);
});

test("the same duplicate stored in plain text is refused as a duplicate, at either index", () => {
  for (const count of [2, 11]) {
    const lines = problemLines({ workloads: { clients: clientsWithLastDuplicate(count) } });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^dind-stack:workloads\\.clients\\[${count - 1}\\]: got duplicate client name "builder-0"`))]);
  }
});
