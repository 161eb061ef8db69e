import { addedCapabilities } from "../../../policy/escalations";

test("baseline capabilities written with the CAP_ prefix, in any case, add nothing; others do, in the form given", () => {
  expect(addedCapabilities(["CAP_CHOWN", "cap_net_bind_service", "Cap_Kill", "CAP_SYS_ADMIN", "cap_net_admin"])).toEqual(["CAP_SYS_ADMIN", "cap_net_admin"]);
});
