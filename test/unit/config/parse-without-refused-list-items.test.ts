// A list whose items are refused in different ways in one go (one item of the wrong kind,
// another with a wrong field): the first removal takes the whole list, and the second, now
// inside nothing, is skipped instead of failing.
import { z } from "zod";
import { parseWithoutRefused } from "../../../components/config/parse-without-refused";
import { problemLines } from "../../support/config-problems";

test("a list with an item of the wrong kind and another with a wrong field goes whole; the rest is kept", () => {
  const schema = z.object({ mirrors: z.array(z.object({ source: z.string() })).default([]), port: z.number() });
  expect(parseWithoutRefused(schema, { mirrors: ["nginx", { source: 42 }], port: 1 })).toEqual({ mirrors: [], port: 1 });
});

test("such a mirror list is reported at both entries, and the rules still judge the rest of the config", () => {
  const lines = problemLines({ mirror: ["nginx:1.25", { source: 42 }], registry: { hostPath: "/var/run" } });
  expect(lines.map((line) => line.slice(0, line.indexOf(": ")))).toEqual(expect.arrayContaining(["dind-stack:mirror[0]", "dind-stack:mirror[1].source", "dind-stack:registry.hostPath"]));
});
