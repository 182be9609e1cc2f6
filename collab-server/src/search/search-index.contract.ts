// The search contract (SPEC SRCH-1, SRCH-2, SRCH-4, SRCH-5): every `SearchIndex` runs this suite
// against a fresh, empty index per test — MiniSearch in search-index.contract.test.ts,
// PostgreSQL in postgres-index.test.ts — so both answer queries by the same rules.
import { afterEach, beforeEach, describe, expect, it, type TestContext } from "vitest";
import type { ConversationText, SearchHit, SearchIndex } from "./types";

export interface SearchIndexUnderTest {
  index: SearchIndex;
  /** False when this index cannot tolerate typos here (PostgreSQL without pg_trgm). */
  typoTolerant: boolean;
  cleanup: () => Promise<void>;
}

export function conversation(id: string, messages: string[], extra: Partial<ConversationText> = {}): ConversationText {
  const workspaceId = extra.workspaceId ?? "w1";
  return {
    workspaceId, conversationId: id, docName: `ws/${workspaceId}/conv/${id}`, title: `Conversation ${id}`, updatedAt: 1,
    messages: messages.map((text, i) => ({ id: `${id}-m${i}`, authorName: "Ann", createdAt: 1000 + i, text })),
    notes: "", ...extra,
  };
}

const ids = (hits: SearchHit[]) => hits.map((h) => h.messageId ?? h.kind);
const marked = (h: SearchHit) => h.highlights.map(([a, b]) => h.snippet.slice(a, b));

export function describeSearchIndexContract(name: string, open: () => Promise<SearchIndexUnderTest>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let subject: SearchIndexUnderTest;
    let index: SearchIndex;

    beforeEach(async () => {
      subject = await open();
      index = subject.index;
    });
    afterEach(() => subject.cleanup());

    function needsTypos(ctx: TestContext): void {
      if (!subject.typoTolerant) ctx.skip("this index does not tolerate typos here");
    }

    describe("ranking and matching (SRCH-1)", () => {
      it("SRCH-1 ranks a focused message above a long one that mentions the word once, scores descending", async () => {
        await index.put(conversation("c1", [
          `${"unrelated words about lunch and weather ".repeat(30)} kubernetes`,
          "kubernetes upgrade: kubernetes nodes drained",
          "nothing to see",
        ]));
        const hits = await index.search("w1", "kubernetes", 10);
        expect(ids(hits)).toEqual(["c1-m1", "c1-m0"]);
        expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      });

      it("SRCH-1 a short message naming the word once ranks above a long one naming it once", async () => {
        await index.put(conversation("c1", [`${"filler text about nothing much ".repeat(40)} pelican`, "a pelican"]));
        expect(ids(await index.search("w1", "pelican", 10))).toEqual(["c1-m1", "c1-m0"]);
      });

      it("SRCH-1 a title outranks a message of the same words; notes are found and carry no message", async () => {
        await index.put(conversation("c1", ["roadmap"], { title: "Roadmap", notes: "Checklist: rotate the certificates" }));
        const hits = await index.search("w1", "roadmap", 10);
        expect(hits.map((h) => h.kind)).toEqual(["title", "message"]);
        const notes = await index.search("w1", "certificates", 10);
        expect(notes).toHaveLength(1);
        expect(notes[0]).toMatchObject({ kind: "notes", conversationId: "c1", docName: "ws/w1/conv/c1", title: "Roadmap" });
        expect(notes[0]!.messageId).toBeUndefined();
        expect(notes[0]!.authorName).toBeUndefined();
      });

      it("SRCH-1 a message hit names the message to jump to, its author and time", async () => {
        await index.put(conversation("c1", ["first", "the harbour at dawn"], { title: "Trips" }));
        const [hit] = await index.search("w1", "harbour", 10);
        expect(hit).toMatchObject({
          conversationId: "c1", docName: "ws/w1/conv/c1", title: "Trips", kind: "message",
          messageId: "c1-m1", authorName: "Ann", createdAt: 1001, snippet: "the harbour at dawn",
        });
        expect(marked(hit!)).toEqual(["harbour"]);
      });

      it("SRCH-1 words of 2+ characters match as prefixes; a single character only as a whole word", async () => {
        await index.put(conversation("c1", ["the database migration finished", "x marks the spot", "xylophone"]));
        expect(ids(await index.search("w1", "migr", 10))).toEqual(["c1-m0"]);
        expect(ids(await index.search("w1", "x", 10))).toEqual(["c1-m1"]);
        expect(ids(await index.search("w1", "xy", 10))).toEqual(["c1-m2"]);
      });

      it("SRCH-1 compares words without case or accents", async () => {
        await index.put(conversation("c1", ["Meet at the Café Übersee", "plain cafe"]));
        expect(new Set(ids(await index.search("w1", "CAFE", 10)))).toEqual(new Set(["c1-m0", "c1-m1"]));
        const [hit] = await index.search("w1", "ubersee café", 10);
        expect(hit!.messageId).toBe("c1-m0");
        expect(marked(hit!)).toEqual(["Café", "Übersee"]);
      });

      it("SRCH-1 tolerates a typo in words of 4+ characters (a quarter of their length, at most 2)", async (ctx) => {
        needsTypos(ctx);
        await index.put(conversation("c1", ["the database migration finished", "database backup is broken", "a cat sat on the sofa"]));
        expect(new Set(ids(await index.search("w1", "databse", 10)))).toEqual(new Set(["c1-m0", "c1-m1"]));
        const [hit, ...rest] = await index.search("w1", "databse migraton", 10);
        expect(rest).toEqual([]);
        expect(hit!.messageId).toBe("c1-m0");
        expect(marked(hit!)).toEqual(["database", "migration"]);
        // Three characters allow no typo; four allow one, not two.
        expect(await index.search("w1", "cot", 10)).toEqual([]);
        expect(ids(await index.search("w1", "sofx", 10))).toEqual(["c1-m2"]);
        expect(await index.search("w1", "sxfx", 10)).toEqual([]);
      });

      it("SRCH-1 requires every word, and falls back to any word (most words first) when nothing has them all", async () => {
        await index.put(conversation("c1", ["database backup is broken", "the backup of the garden", "zebra backup garden"]));
        expect(ids(await index.search("w1", "database backup", 10))).toEqual(["c1-m0"]);
        const fallback = await index.search("w1", "backup garden quasar", 10);
        expect(ids(fallback).slice(0, 2).sort()).toEqual(["c1-m1", "c1-m2"]);
        expect(ids(fallback)).toContain("c1-m0");
        expect(ids(fallback).indexOf("c1-m0")).toBe(2);
      });

      it("SRCH-1 returns at most `limit` hits", async () => {
        await index.put(conversation("c1", Array.from({ length: 30 }, (_, i) => `walrus number ${i}`)));
        expect(await index.search("w1", "walrus", 20)).toHaveLength(20);
        expect(await index.search("w1", "walrus", 5)).toHaveLength(5);
      });
    });

    describe("snippets (SRCH-1)", () => {
      it("SRCH-1 cuts a long text around its matches, with ellipses and highlight ranges inside the snippet", async () => {
        const filler = "lorem ipsum dolor sit amet ".repeat(40);
        await index.put(conversation("c1", [`${filler}rollback once ${filler}rollback plan and rollback drill ${filler}`]));
        const [hit] = await index.search("w1", "rollback", 10);
        expect(hit!.snippet.startsWith("…")).toBe(true);
        expect(hit!.snippet.endsWith("…")).toBe(true);
        expect(hit!.snippet).toContain("rollback plan and rollback drill");
        expect(hit!.snippet.length).toBeLessThanOrEqual(162);
        expect(marked(hit!)).toEqual(["rollback", "rollback"]);
      });

      it("SRCH-1 highlights the whole word a prefix matched, and plain text only (no markup)", async () => {
        await index.put(conversation("c1", ["<b>Migrations</b> & migrating, not <i>migr</i>ants"]));
        const [hit] = await index.search("w1", "migr", 10);
        expect(hit!.snippet).toBe("<b>Migrations</b> & migrating, not <i>migr</i>ants");
        expect(marked(hit!)).toEqual(["Migrations", "migrating", "migr"]);
      });
    });

    describe("keeping up with conversations", () => {
      it("SRCH-2 put replaces a conversation's entries: changed text, new notes, new title, removed messages", async () => {
        await index.put(conversation("c1", ["apples", "pears", "figs"], { title: "Fruit" }));
        await index.put(conversation("c1", ["apples", "plums"], { updatedAt: 5, notes: "pears in the notes", title: "Orchard" }));
        expect((await index.search("w1", "pears", 10)).map((h) => h.kind)).toEqual(["notes"]);
        expect(ids(await index.search("w1", "plums", 10))).toEqual(["c1-m1"]);
        expect(await index.search("w1", "figs", 10)).toEqual([]);
        expect(await index.search("w1", "fruit", 10)).toEqual([]);
        expect((await index.search("w1", "apples", 10))[0]!.title).toBe("Orchard");
        expect(await index.versions("w1")).toEqual(new Map([["c1", 5]]));
      });

      it("SRCH-2 an author's new name or a message's new time shows in hits though the words did not change", async () => {
        await index.put(conversation("c1", ["hello there"]));
        const renamed = conversation("c1", ["hello there"]);
        renamed.messages[0] = { ...renamed.messages[0]!, authorName: "Annie", createdAt: 7 };
        await index.put(renamed);
        expect(await index.search("w1", "hello", 10)).toMatchObject([{ authorName: "Annie", createdAt: 7 }]);
      });

      it("SRCH-2 indexes a repeated message id once and skips blank messages", async () => {
        const c = conversation("c1", ["heron one", "   "]);
        c.messages.push({ id: "c1-m0", authorName: "Bob", createdAt: 9, text: "heron twice" });
        await index.put(c);
        expect(await index.search("w1", "heron", 10)).toMatchObject([{ messageId: "c1-m0", snippet: "heron one" }]);
      });

      it("SRCH-2 remove forgets a conversation; versions list what is indexed", async () => {
        await index.put(conversation("c1", ["apples"], { updatedAt: 3 }));
        await index.put(conversation("c2", ["apples"], { updatedAt: 4 }));
        expect(await index.versions("w1")).toEqual(new Map([["c1", 3], ["c2", 4]]));
        await index.remove("w1", "c1");
        await index.remove("w1", "never-indexed");
        expect((await index.search("w1", "apples", 10)).map((h) => h.conversationId)).toEqual(["c2"]);
        expect(await index.versions("w1")).toEqual(new Map([["c2", 4]]));
        expect(await index.versions("w-unknown")).toEqual(new Map());
      });
    });

    describe("privacy (SRCH-4)", () => {
      it("SRCH-4 keeps workspaces apart, also for prefixes and typos", async () => {
        await index.put(conversation("c1", ["secret pineapple"]));
        await index.put(conversation("c2", ["public banana"], { workspaceId: "w2" }));
        for (const q of ["pineapple", "pine", "pineaple", "secret"]) expect(await index.search("w2", q, 10)).toEqual([]);
        expect(await index.search("w1", "banana", 10)).toEqual([]);
        expect(await index.search("w1", "pineapple", 10)).toHaveLength(1);
        expect(await index.search("nobody", "pineapple", 10)).toEqual([]);
      });

      it("SRCH-4 another workspace's better matches never take this workspace's places in the limit", async () => {
        await index.put(conversation("c1", Array.from({ length: 5 }, () => "pineapple pineapple pineapple")));
        await index.put(conversation("c2", [`${"filler words ".repeat(30)}pineapple`], { workspaceId: "w2" }));
        expect((await index.search("w2", "pineapple", 1)).map((h) => h.conversationId)).toEqual(["c2"]);
        expect((await index.search("w2", "pineapple", 3)).map((h) => h.messageId)).toEqual(["c2-m0"]);
      });

      it("SRCH-4 the same conversation id in two workspaces stays two conversations", async () => {
        await index.put(conversation("c1", ["orange"]));
        await index.put(conversation("c1", ["lemon"], { workspaceId: "w2" }));
        await index.remove("w2", "c1");
        expect(await index.search("w1", "orange", 10)).toHaveLength(1);
        expect(await index.search("w2", "lemon", 10)).toEqual([]);
      });
    });

    describe("hostile input (SRCH-5)", () => {
      it.each([
        ["regex-like", ".*(a+)+$ [^x]{1,99999} \\d+?"],
        ["SQL-like", "'; DROP TABLE search_entries; -- \" OR 1=1"],
        ["tsquery syntax", "a:* & !b | (c <-> d) 'e' \\ f:A"],
        ["NUL and control characters", "abc\u0000def\u0001\u007f"],
        ["only punctuation", "%%% ((( ))) *** ???"],
        ["many words", Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ")],
        ["one long word", "x".repeat(250)],
        ["short words", "a b c d e f g h i j k l"],
        ["emoji and scripts", "🙂 日本語 кириллица العربية"],
        ["letters that fold into punctuation", "ŉ ㈱ ﬁ ½ ʼn"],
        ["a lone surrogate", "ab\ud800cd"],
        ["only underscores", "___ _ __"],
        ["100 KB", "sql' OR ".repeat(12_800)],
      ])("SRCH-5 answers a %s query with hits or none, never an error", async (_kind, q) => {
        await index.put(conversation("c1", ["abc def", "a b c words to match", "日本語 text", "it's a \\ backslash"]));
        const hits = await index.search("w1", q, 10);
        expect(Array.isArray(hits)).toBe(true);
        // The index is still whole afterwards.
        expect(await index.search("w1", "words", 10)).toHaveLength(1);
      });

      it("SRCH-5 punctuation and SQL syntax are separators: the words around them are what is searched", async () => {
        await index.put(conversation("c1", ["drop the table", "select everything"]));
        expect(ids(await index.search("w1", "'; DROP TABLE --", 10))).toEqual(["c1-m0"]);
        expect(ids(await index.search("w1", "abc\u0000select", 10))).toEqual(["c1-m1"]);
      });

      it("SRCH-5 indexes texts holding NUL, quotes and backslashes, and finds them by their words", async () => {
        await index.put(conversation("c1", ["null\u0000byte here \ud800", "quote's \\escaped\\ text"], { title: "bad\u0000title", notes: "notes\u0000too" }));
        expect(ids(await index.search("w1", "byte", 10))).toEqual(["c1-m0"]);
        expect(ids(await index.search("w1", "escaped", 10))).toEqual(["c1-m1"]);
        expect(ids(await index.search("w1", "quote", 10))).toEqual(["c1-m1"]);
        expect((await index.search("w1", "title", 10)).map((h) => h.kind)).toEqual(["title"]);
        expect((await index.search("w1", "too", 10)).map((h) => h.kind)).toEqual(["notes"]);
      });

      it("SRCH-5 only the first 12 words of a query count; words over 64 characters are neither indexed nor searched", async () => {
        const long = "q".repeat(65);
        await index.put(conversation("c1", [`alpha ${long}`, "omega"]));
        const twelve = Array.from({ length: 12 }, () => "alpha").join(" ");
        expect(ids(await index.search("w1", `${twelve} omega`, 10))).toEqual(["c1-m0"]);
        expect(await index.search("w1", long, 10)).toEqual([]);
      });
    });
  });
}
