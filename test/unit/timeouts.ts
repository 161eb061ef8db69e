// Unit tests that run the program under mocks or start npm, ts-node or the policy runner take
// about a second each; on a loaded 2-core machine that can pass Jest's default of 5 s. The limit
// is there to stop a test that hangs, not to time one.
jest.setTimeout(30_000);
