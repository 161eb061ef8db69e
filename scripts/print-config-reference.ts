// Prints the config reference table that README.md carries between its
// config-reference markers (a unit test keeps the two identical).
import { referenceMarkdown } from "../components/config/reference";

console.log(referenceMarkdown());
