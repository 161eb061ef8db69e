/** The value of `--<name> N` on the command line, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} wants a positive integer, got "${process.argv[index + 1]}"`);
  return value;
}
