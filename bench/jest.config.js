// Runs the program-evaluation benchmark, which needs the mock runner in test/support (it uses
// jest's module isolation). Not part of `npm test`: `npx jest --config bench/jest.config.js`.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: "..",
  preset: "ts-jest",
  testEnvironment: "node",
  testMatch: ["<rootDir>/bench/**/*.bench.ts"],
  testTimeout: 900_000,
};
