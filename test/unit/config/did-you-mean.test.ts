// Which known name a misspelt key is taken for, in the "did you mean" hints of config errors and
// warnings: ties of edit distance go to an abbreviation, then to the name sharing most letters.
import { closestName } from "../../../components/config/did-you-mean";

test("an abbreviation wins a tie of edit distance over a name with the same letters in another order", () => {
  expect(closestName("cnt", ["tnc", "count"])).toBe("count");
});

test("then the name that keeps the most letters wins: a swap over a cut", () => {
  expect(closestName("prot", ["pr", "port"])).toBe("port");
  expect(closestName("prot", ["port", "pr"])).toBe("port");
});

test("every shared letter counts once, the first of a name too, and a letter a name lacks costs it nothing: a full tie keeps the order of the known names", () => {
  expect(closestName("aa", ["aaa", "aba"])).toBe("aaa");
  expect(closestName("aab", ["ab", "aa"])).toBe("ab");
  // Each letter of a name is shared once: "ab" has one of the two a's, as "ba" has.
  expect(closestName("aa", ["ba", "ab"])).toBe("ba");
});

test("a letter typed more often than a name has it is shared only as often as the name has it", () => {
  // Both are two edits from "aaa" and neither abbreviates it: "aabb" keeps two of its a's, "a" one.
  expect(closestName("aaa", ["a", "aabb"])).toBe("aabb");
});

test("case is ignored, and the name is given as the program spells it", () => {
  expect(closestName("REGISTY", ["registry", "mode"])).toBe("registry");
});

test("nothing is suggested from an empty list, or for a name too far from every known one", () => {
  expect(closestName("mode", [])).toBeUndefined();
  expect(closestName("xyz", ["registry", "mode"])).toBeUndefined();
});
