// A schema that registers no allowed words is a programming error, reported with the schema's type.
import { z } from "zod";
import { wordsOf } from "../../../components/config/words";

test("a schema without allowed words throws, naming its type", () => {
  expect(() => wordsOf(z.boolean())).toThrow(/boolean/);
});
