import { NO_OPT_INS, optInsFromConfig, stackOfUrn } from "../../../policy/stack-opt-ins";

test("a section left empty in the stack file (YAML null) opts into nothing", () => {
  expect(optInsFromConfig({ "dind-stack:workloads": null, "dind-stack:daemon": null, "dind-stack:registry": null, "dind-stack:dindImage": null })).toEqual(NO_OPT_INS);
});

test("a text that only contains a URN after its start is no URN: no stack is read from it", () => {
  expect(() => stackOfUrn("x-urn:pulumi:dev::dind-stack::docker:index/container:Container::web")).toThrow(/x-urn:pulumi:dev/);
});
