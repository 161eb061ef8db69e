// Two projects: `unit` (Pulumi mocks and pure functions; no engine needed) and
// `engine` (what the program declares, realized on a real Docker engine).
/** @type {import('jest').Config} */
const common = {
  preset: "ts-jest",
  testEnvironment: "node",
};

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"], setupFilesAfterEnv: ["<rootDir>/test/unit/timeouts.ts"] },
    {
      ...common,
      displayName: "engine",
      testMatch: ["<rootDir>/test/engine/**/*.test.ts"],
      globalSetup: "<rootDir>/test/engine/support/global-setup.ts",
      globalTeardown: "<rootDir>/test/engine/support/global-teardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/engine/support/timeouts.ts"],
      slowTestThreshold: 120,
    },
  ],
};
