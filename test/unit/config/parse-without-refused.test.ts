// A bad config is still judged as a whole: every value the schema refuses is dropped (so its
// default applies) and the rest parses, which lets the cross-key rules report their problems in
// the same run as the schema's.
import { z } from "zod";
import { parseWithoutRefused } from "../../../components/config/parse-without-refused";

test("a refused value falls back to its default; the other values are kept", () => {
  const schema = z.object({ port: z.number().default(5000), name: z.string() });
  expect(parseWithoutRefused(schema, { port: "5000x", name: "registry" })).toEqual({ port: 5000, name: "registry" });
});

test("several refused values are all dropped in one go", () => {
  const schema = z.object({ port: z.number().default(5000), mode: z.enum(["dind", "dood"]).default("dind"), name: z.string() });
  expect(parseWithoutRefused(schema, { port: "x", mode: "both", name: "r" })).toEqual({ port: 5000, mode: "dind", name: "r" });
});

test("a refused required value takes its parent with it, whose default then applies", () => {
  const schema = z.object({ proxy: z.object({ url: z.string() }).default({ url: "https://default.example" }), port: z.number() });
  expect(parseWithoutRefused(schema, { proxy: { url: 42 }, port: 1 })).toEqual({ proxy: { url: "https://default.example" }, port: 1 });
});

test("a list with a refused item goes whole, so no index shifts", () => {
  const schema = z.object({ mirrors: z.array(z.string()).default([]), port: z.number() });
  expect(parseWithoutRefused(schema, { mirrors: ["a", 2, "c"], port: 1 })).toEqual({ mirrors: [], port: 1 });
});

test("unknown keys of a strict object are dropped", () => {
  const schema = z.object({ port: z.number() }).strict();
  expect(parseWithoutRefused(schema, { port: 1, prot: 2 })).toEqual({ port: 1 });
});

test("the caller's input is left as it was", () => {
  const input = { port: "x", name: "r" };
  parseWithoutRefused(z.object({ port: z.number().default(1), name: z.string() }), input);
  expect(input).toEqual({ port: "x", name: "r" });
});

test("a config refused as a whole cannot be parsed, and says so", () => {
  expect(() => parseWithoutRefused(z.object({ port: z.number() }), "not an object")).toThrow(/could not be parsed without its refused values/);
});
