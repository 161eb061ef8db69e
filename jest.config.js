// Three projects: `unit` (Pulumi mocks and pure functions; no engine needed), `engine` (what the
// program declares, realized on a real Docker engine, with the DinD image built from the
// bookworm stand-in engine, docker 20.10.24) and `engine-trixie` (the DinD image's start-up and
// DinD-mode suites again, with the image built from the trixie stand-in engine, docker 26.1.5:
// the two bracket the 24.0.6 the stack pins). `DIND_STACK_STANDIN=trixie` makes the engine
// project use the trixie engine too.
/** @type {import('jest').Config} */
const common = {
  preset: "ts-jest",
  testEnvironment: "node",
};

const engine = {
  ...common,
  globalTeardown: "<rootDir>/test/engine/support/global-teardown.ts",
  setupFilesAfterEnv: ["<rootDir>/test/engine/support/timeouts.ts"],
  slowTestThreshold: 120,
};

/** The suites run on both stand-in engines (what differs between engine versions, kept short for CI). */
const BOTH_ENGINES = ["entrypoint", "dind-ci"];

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"], setupFilesAfterEnv: ["<rootDir>/test/unit/timeouts.ts"] },
    { ...engine, displayName: "engine", testMatch: ["<rootDir>/test/engine/**/*.test.ts"], globalSetup: "<rootDir>/test/engine/support/global-setup.ts" },
    {
      ...engine,
      displayName: "engine-trixie",
      testMatch: BOTH_ENGINES.map((suite) => `<rootDir>/test/engine/${suite}.test.ts`),
      globalSetup: "<rootDir>/test/engine/support/global-setup-trixie.ts",
      setupFiles: ["<rootDir>/test/engine/support/standin-trixie.ts"],
    },
  ],
};
