import Docker from "dockerode";

/** The engine the tests run against (DOCKER_HOST or the local socket). */
export const engine = new Docker();

/** Label on every object a test creates; its value is the test run's id. */
export const TEST_RUN_LABEL = "org.dind-stack.test-run";

/** This test run's id: set once by the global setup, shared by every test file of the run. */
export const TEST_RUN_ID = process.env.DIND_STACK_TEST_RUN ?? `${process.pid}-${Date.now().toString(36)}`;
