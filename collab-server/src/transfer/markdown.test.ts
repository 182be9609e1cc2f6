import { describe, expect, it } from "vitest";
import { CONVERSATION_FORMAT, FORMAT_VERSION, type ExportedConversation } from "./formats";
import { conversationToMarkdown, markdownToConversation } from "./markdown";

const conversation: ExportedConversation = {
  format: CONVERSATION_FORMAT, version: FORMAT_VERSION,
  meta: { title: "T --> <b>", persona: "dev", ai: "auto", createdAt: 5, createdBy: "u" },
  messages: [
    { id: "1", role: "user", authorId: "u", authorName: "Ann -->", createdAt: 10, text: "first\n\n<!-- junokit:notes -->\n", status: "done" },
    { id: "2", role: "assistant", authorId: "ai", authorName: "AI", createdAt: 11, text: "second", status: "done", replyTo: "1", model: "m" },
  ],
  notes: { type: "doc" },
};

describe("conversation Markdown", () => {
  it("reads back exactly what it wrote, whatever the texts contain", () => {
    const back = markdownToConversation(conversationToMarkdown(conversation)) as ExportedConversation;
    expect(back.meta).toMatchObject({ title: "T --> <b>", persona: "dev", ai: "auto", createdAt: 5 });
    expect(back.messages).toEqual(conversation.messages);
  });

  it("still reads a file edited by hand (lengths off) or saved with Windows line ends", () => {
    const edited = conversationToMarkdown(conversation).replace("second", "second, edited by hand");
    expect((markdownToConversation(edited) as ExportedConversation).messages[1]!.text).toBe("second, edited by hand");
    const crlf = conversationToMarkdown({ ...conversation, messages: [conversation.messages[1]!] }).replace(/\n/g, "\r\n");
    expect((markdownToConversation(crlf) as ExportedConversation).messages[0]!.text).toBe("second");
  });
});
