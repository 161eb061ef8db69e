// Where a stack file keeps encrypted values (`secure:`) inside a structured key: the paths the
// program must treat as secret, however deep in objects and lists they sit.
import { secureLeafPaths } from "../../../components/config/secure-leaves";

const secure = (ciphertext = "v1:abc") => ({ secure: ciphertext });

test("the value itself, when it is encrypted", () => {
  expect(secureLeafPaths(secure())).toEqual([[]]);
});

test("encrypted values inside objects and lists, each by its path", () => {
  const value = { proxy: { url: "https://mirror.example", password: secure() }, clients: [{ name: "b", env: { TOKEN: secure() } }, { name: "c" }], mirrors: ["x", secure()] };
  expect(secureLeafPaths(value)).toEqual([["proxy", "password"], ["clients", 0, "env", "TOKEN"], ["mirrors", 1]]);
});

test("look-alikes are not encrypted values: another key beside secure, a secure that is no string, a list, null, plain values", () => {
  expect(secureLeafPaths({ a: { secure: "v1:abc", note: "x" } })).toEqual([]);
  expect(secureLeafPaths({ a: { secure: 1 } })).toEqual([]);
  expect(secureLeafPaths({ a: ["secure", "v1:abc"] })).toEqual([]);
  expect(secureLeafPaths({ a: null, b: "secure", c: 3, d: true })).toEqual([]);
  expect(secureLeafPaths(null)).toEqual([]);
  expect(secureLeafPaths("v1:abc")).toEqual([]);
});

test("paths start where the caller says", () => {
  expect(secureLeafPaths({ password: secure() }, ["registry", "proxy"])).toEqual([["registry", "proxy", "password"]]);
});
