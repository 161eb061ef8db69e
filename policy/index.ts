// dind-stack's policy pack: `pulumi preview --policy-pack policy` (or `up`) runs it against what
// the program declares. The policies live in policies.ts; this file only serves them.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("dind-stack", { policies: POLICIES, enforcementLevel: "mandatory" });
