import { spawn } from "node:child_process";

// command:local:Command as @pulumi/command 1.2.1 runs it (provider/pkg/provider/local/
// commandController.go): create on create; on update the `update` command, else create
// again; `delete` on delete; nothing in a preview. The command runs under /bin/sh -c with the
// program's environment plus `environment`; a non-zero exit fails the step with its output.

type Fields = Record<string, any>;

/** Runs one of a Command's scripts; returns its stdout and stderr (the resource's outputs). */
export async function runLocalCommand(name: string, script: string, environment: Record<string, string> | undefined): Promise<{ stdout: string; stderr: string }> {
  const child = spawn("/bin/sh", ["-c", script], { env: { ...process.env, ...environment }, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  child.stdout.on("data", (chunk: Buffer) => out.stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => out.stderr.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const result = { stdout: Buffer.concat(out.stdout).toString().trim(), stderr: Buffer.concat(out.stderr).toString().trim() };
  for (const line of `${result.stderr}\n${result.stdout}`.split("\n").filter(Boolean)) process.stderr.write(`[command ${name}] ${line}\n`);
  if (code !== 0) throw new Error(`command ${name} exited ${code}: ${result.stderr || result.stdout}`);
  return result;
}

/** A Command's create (or, on update, its update command, else its create). */
export async function realizeCommand(name: string, inputs: Fields, phase: "create" | "update"): Promise<{ id: string; state: Fields }> {
  const script = phase === "update" && inputs.update ? inputs.update : inputs.create;
  const outputs = script ? await runLocalCommand(name, script, inputs.environment) : { stdout: "", stderr: "" };
  return { id: `${name}-command`, state: { ...inputs, ...outputs } };
}
