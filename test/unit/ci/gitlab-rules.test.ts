import { evaluateRule } from "./support/gitlab-rules";

// The model of GitLab's rules:if against the documented cases (doc/ci/jobs/job_rules.md).
test.each([
  ['$A == "x"', { A: "x" }, true],
  ['$A == "x"', {}, false],
  ["$A == null", {}, true],
  ["$A == null", { A: "" }, false],
  ['$A == ""', {}, false],
  ["$A", { A: "" }, false],
  ["$A", { A: "1" }, true],
  ["$A == $B", {}, true],
  ["$A == $B", { A: "1", B: "2" }, false],
  ['$A != "x"', {}, true],
  ['$A == "1" || $B == "1" && $C == "1"', { A: "1" }, true],
  ['($A == "1" || $B == "1") && $C == "1"', { A: "1" }, false],
  ["${A} == 'y'", { A: "y" }, true],
] as const)("%s with %j is %s", (expression, variables, expected) => {
  expect(evaluateRule(expression, variables)).toBe(expected);
});

test.each(['$A =~ /x/', "!$A", '($A == "1"', '$A == "1" &&'])("%s is refused, not guessed", (expression) => {
  expect(() => evaluateRule(expression, { A: "1" })).toThrow(/rules:if/);
});
