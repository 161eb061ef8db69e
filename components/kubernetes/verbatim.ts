/**
 * Escapes a string for a container's command, args or env value so the kubelet passes it on
 * unchanged. The kubelet expands `$(NAME)` from the container's environment and turns every
 * `$$` into `$`, so a shell command such as `echo $$ $(date)` would change on the way (the
 * Docker target passes strings as they are). Doubling each `$` that starts `$$` or `$(`
 * undoes exactly that and leaves every other `$` (`$HOME`, `${x}`) as written.
 */
export function verbatim(text: string): string {
  return text.replace(/\$(?=[$(])/g, "$$$$");
}
