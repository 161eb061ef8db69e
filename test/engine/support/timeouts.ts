// Engine tests drive real builds, daemons and registries: a test may take minutes on a
// 2-core machine. (testTimeout is a global option in Jest, so it is set per project here.)
jest.setTimeout(300_000);
