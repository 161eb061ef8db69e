// Strings from the config reach the job container as written, although the kubelet expands
// `$(NAME)` and `$$` in command, args and env values.
import { verbatim } from "../../../components/kubernetes/verbatim";
import { expandReferences } from "../../engine/support/kubelet/expansion";

const environment = new Map([
  ["HOME", "/root"],
  ["DOCKER_HOST", "tcp://localhost:2376"],
]);

test.each([
  "echo $(DOCKER_HOST)",
  "echo $$ $(date) $HOME ${HOME}",
  "echo $$(HOME) $$$(HOME) $",
  "i=$((i + 1)); echo \"$@\" $*",
  "unterminated $(HOME and $$",
])("%j reaches the container unchanged", (text) => {
  expect(expandReferences(verbatim(text), environment)).toBe(text);
});

test("without escaping, the kubelet would change them", () => {
  expect(expandReferences("echo $(DOCKER_HOST) $$", environment)).toBe("echo tcp://localhost:2376 $");
});
