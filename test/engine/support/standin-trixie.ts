// setupFiles of the engine-trixie project: its test files use the trixie stand-in engine
// (docker 26.1.5), as `DIND_STACK_STANDIN=trixie` would choose it for the engine project.
process.env.DIND_STACK_STANDIN = "trixie";
