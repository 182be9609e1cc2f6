// @vitest-environment jsdom
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { mentionablesOf } from "../mentions";
import { Composer } from "./Composer";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const mentionables = mentionablesOf(
  [
    { userId: "u-ann", username: "ann", displayName: "Ann" },
    { userId: "u-bob", username: "bob", displayName: "Bob Stone" },
    { userId: "u-bea", username: "bea", displayName: "Bea" },
  ],
  "u-ann",
  "Dev",
);

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function render() {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const sent: string[] = [];
  act(() => root.render(<Composer placeholder="Message" onSend={(t) => sent.push(t)} typing={null} suggestion={null} mentionables={mentionables} />));
  cleanup = () => {
    act(() => root.unmount());
    host.remove();
  };
  const box = host.querySelector("textarea")!;
  return {
    host,
    box,
    sent,
    /** Types the whole draft as a person would leave it: value set, caret at the end. */
    type(text: string) {
      act(() => {
        const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
        setter.call(box, text);
        box.setSelectionRange(text.length, text.length);
        box.dispatchEvent(new Event("input", { bubbles: true }));
      });
    },
    press(key: string) {
      act(() => {
        box.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
      });
    },
    options: () => [...host.querySelectorAll('[role="option"]')].map((o) => o.querySelector(".mention-menu__handle")?.textContent),
    active: () => host.querySelector('[role="option"][aria-selected="true"] .mention-menu__handle')?.textContent,
  };
}

describe("the composer's @ completion (APP-MENTION-1)", () => {
  it("lists matches while an @ token is typed, picks with arrows and Enter, and does not send", () => {
    const c = render();
    c.type("ping @b");
    expect(c.options()).toEqual(["@bea", "@bob"]);
    expect(c.box.getAttribute("aria-activedescendant")).toBe(c.host.querySelector('[role="option"]')?.id);
    c.press("ArrowDown");
    expect(c.active()).toBe("@bob");
    c.press("Enter");
    expect(c.box.value).toBe("ping @bob ");
    expect(c.box.selectionStart).toBe("ping @bob ".length);
    expect(c.sent).toEqual([]);
    expect(c.options()).toEqual([]);
    c.type("ping @bob can you look?");
    c.press("Enter");
    expect(c.sent).toEqual(["ping @bob can you look?"]);
  });

  it("completes @ai with Tab, and offers the AI under the persona's name", () => {
    const c = render();
    c.type("@a");
    expect(c.host.querySelector(".mention-menu__option--ai .mention-menu__label")?.textContent).toBe("Dev, the AI");
    c.press("Tab");
    expect(c.box.value).toBe("@ai ");
  });

  it("closes on Escape, after which Enter sends the draft as typed", () => {
    const c = render();
    c.type("hello @be");
    expect(c.options()).toEqual(["@bea"]);
    c.press("Escape");
    expect(c.options()).toEqual([]);
    c.press("Enter");
    expect(c.sent).toEqual(["hello @be"]);
  });

  it("stays closed in an e-mail address and when nobody matches", () => {
    const c = render();
    c.type("write to bob@exa");
    expect(c.options()).toEqual([]);
    c.type("@xyz");
    expect(c.options()).toEqual([]);
    c.press("Enter");
    expect(c.sent).toEqual(["@xyz"]);
  });
});
