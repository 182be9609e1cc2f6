// The search contract against the in-memory MiniSearch index (PostgreSQL runs it in
// postgres-index.test.ts).
import { createMiniSearchIndex } from "@junokit/doc-model";
import { describeSearchIndexContract } from "./search-index.contract";

describeSearchIndexContract("MiniSearch", async () => ({ index: createMiniSearchIndex(), typoTolerant: true, cleanup: async () => {} }));
