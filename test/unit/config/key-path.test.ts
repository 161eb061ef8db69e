// The value a problem names is looked up along zod's path into the config; a path that runs
// through a missing value, a null or a plain value leads nowhere (it never reads a string's
// characters or fails on a null).
import { valueAt } from "../../../components/config/key-path";

test("a path into nested sections and lists finds the value", () => {
  expect(valueAt({ mirror: [{ source: "nginx:1.25" }] }, ["mirror", 0, "source"])).toBe("nginx:1.25");
});

test("a path through a missing value leads nowhere", () => {
  expect(valueAt({}, ["registry", "port"])).toBeUndefined();
});

test("a path through a null leads nowhere", () => {
  expect(valueAt({ registry: null }, ["registry", "port"])).toBeUndefined();
});

test("a path through a plain value leads nowhere, even where the value has such a property", () => {
  expect(valueAt({ registry: "registry:5000" }, ["registry", "length"])).toBeUndefined();
  expect(valueAt({ mirror: "nginx" }, ["mirror", 0])).toBeUndefined();
});
