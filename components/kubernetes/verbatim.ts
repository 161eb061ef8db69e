/**
 * Escapes a string for a container's command, args or env value so the kubelet passes it on
 * unchanged. The kubelet expands `$(NAME)` from the container's environment and reduces
 * every `$$` to `$`, so a shell command such as `echo $$ $(date)` would change on the way;
 * doubling every `$` undoes exactly that (the Docker target passes strings as they are).
 */
export function verbatim(text: string): string {
  return text.replaceAll("$", "$$$$");
}
