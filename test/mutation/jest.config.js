// The unit tests Stryker runs against each mutant (`npm run mutate`, stryker.config.json): the
// unit project's settings, restricted to the tests that call the mutated modules directly.
// Tests that evaluate the whole program (test/unit/stacks and those listed below) under Pulumi mocks are left out: each loads every
// provider SDK and runs the program again for every mutant they cover (seconds per mutant, hours
// per run). They, and the engine tests, prove the resource wiring, which is not mutated here.
const path = require("node:path");
const unit = require("../../jest.config.js").projects.find((project) => project.displayName === "unit");

/** Unit tests that evaluate the program (runProgram, mockedClusterStack), by path under test/unit/. */
const PROGRAM_TESTS = [
  "config/namespace-lookalikes",
  "dind-image/advisory-warnings",
  "kubernetes/api-schema",
  "kubernetes/dood-variant",
  "kubernetes/existing-namespaces",
  "kubernetes/open-registry",
  "kubernetes/prod-stack",
  "kubernetes/real-cluster",
  "policy/every-stack",
  "policy/pack-over-grpc",
  "policy/program-exposure",
  "policy/program-images",
  "workloads/client-images",
];

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  rootDir: path.join(__dirname, "..", ".."),
  testMatch: [
    "<rootDir>/test/unit/{config,kubernetes,workloads,mirror,registry,policy}/**/*.test.ts",
    "<rootDir>/test/unit/harness/kubelet-mapping.test.ts",
    "<rootDir>/test/unit/dind-image/*.test.ts",
    "<rootDir>/test/unit/readme.test.ts",
  ],
  testPathIgnorePatterns: ["/node_modules/", ...PROGRAM_TESTS.map((test) => `/test/unit/${test}`)],
};
