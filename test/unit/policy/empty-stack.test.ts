import { packFindings } from "./support/pack-harness";

test("a stack without resources: every policy runs, and none reports anything", async () => {
  expect(await packFindings([])).toEqual([]);
});
