// A password may be 8 to 72 bytes long, both ends included (bcrypt reads 72 bytes).
import { parse, problemLines } from "../../support/config-problems";

/** A Docker host config with registry authentication and `password` as its password. */
const withPassword = (password: string) => ({ registry: { auth: { username: "ci" } }, registryPassword: password });

test("passwords of exactly 8 characters and exactly 72 bytes pass", () => {
  expect(() => parse(withPassword("12345678"))).not.toThrow();
  expect(() => parse(withPassword("é".repeat(36)))).not.toThrow();
});

test("passwords of 7 characters and 73 bytes are refused", () => {
  expect(problemLines(withPassword("1234567"))).toEqual([expect.stringMatching(/^dind-stack:registryPassword: /)]);
  expect(problemLines(withPassword(`${"é".repeat(36)}a`))).toEqual([expect.stringMatching(/^dind-stack:registryPassword: /)]);
});
