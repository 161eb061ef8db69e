import { distance } from "fastest-levenshtein";

/**
 * The known name closest to `given`, when it is close enough to be a typo. The edit distance
 * comes from fastest-levenshtein; what counts as close (case ignored, about a third of the
 * name's letters) is the stack's own judgement, which no library makes for us.
 */
export function closestName(given: string, known: readonly string[]): string | undefined {
  const ranked = known
    .map((candidate) => ({ candidate, cost: distance(given.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.cost - b.cost);
  const tolerance = Math.max(2, Math.floor(given.length / 3));
  return ranked.length > 0 && ranked[0].cost <= tolerance ? ranked[0].candidate : undefined;
}
