import { createMemoryCache } from "../../src/adapters/cache/memory.js";
import { describeCacheContract } from "./cache.contract.js";

describeCacheContract("in-process LRU", async () => createMemoryCache());
