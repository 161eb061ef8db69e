import { distance } from "fastest-levenshtein";

/** True when every letter of `short` appears in `long`, in order: `cnt` abbreviates `count`. */
function abbreviates(short: string, long: string): boolean {
  let next = 0;
  for (const letter of long) if (letter === short[next]) next += 1;
  return next === short.length;
}

/** How many of `given`'s letters `candidate` has too (each counted once per occurrence): a swap keeps them all. */
function sharedLetters(given: string, candidate: string): number {
  const left = [...candidate];
  return [...given].filter((letter) => {
    const at = left.indexOf(letter);
    if (at >= 0) left.splice(at, 1);
    return at >= 0;
  }).length;
}

/**
 * The known name closest to `given`, when it is close enough to be a typo. The edit distance
 * comes from fastest-levenshtein; what counts as close (case ignored, about a third of the
 * name's letters) and how ties are broken (an abbreviation first, `cnt` → `count` rather than
 * `env`; then the most letters in common, so a swap such as `prot` → `port` wins) is the
 * stack's own judgement, which no library makes for us.
 */
export function closestName(given: string, known: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  const ranked = known
    .map((candidate) => {
      const name = candidate.toLowerCase();
      return { candidate, cost: distance(lower, name), abbreviation: abbreviates(lower, name) ? 0 : 1, shared: sharedLetters(lower, name) };
    })
    .sort((a, b) => a.cost - b.cost || a.abbreviation - b.abbreviation || b.shared - a.shared);
  const tolerance = Math.max(2, Math.floor(given.length / 3));
  return ranked.length > 0 && ranked[0].cost <= tolerance ? ranked[0].candidate : undefined;
}
