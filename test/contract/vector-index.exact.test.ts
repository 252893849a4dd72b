import { createExactIndex } from "../../src/adapters/vectors/exact.js";
import { describeVectorIndexContract } from "./vector-index.contract.js";

describeVectorIndexContract("exact (brute force, memory)", {
  persists: false,
  approximate: false,
  async storage() {
    return { open: async () => createExactIndex(), dispose: async () => {} };
  },
});
