// The search contract against the in-memory MiniSearch index (PostgreSQL runs it in
// postgres-index.test.ts).
import { createMiniSearchIndex } from "@junokit/doc-model/search-index";
import { describeSearchIndexContract } from "./search-index.contract";

describeSearchIndexContract("MiniSearch", async () => ({ index: createMiniSearchIndex(), typoTolerant: true, cleanup: async () => {} }));
