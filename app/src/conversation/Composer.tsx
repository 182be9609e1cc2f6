import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { TypingSignal } from "../presence";

interface Props {
  placeholder: string;
  onSend(text: string): void;
  typing: TypingSignal | null;
  /** Text put into the draft from outside (a starter prompt). */
  suggestion: { text: string; at: number } | null;
}

const MAX_LENGTH = 20_000;

/** The message box: Enter sends, Shift+Enter breaks the line. */
export function Composer({ placeholder, onSend, typing, suggestion }: Props) {
  const [draft, setDraft] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!suggestion) return;
    setDraft(suggestion.text);
    box.current?.focus();
  }, [suggestion]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [draft]);

  function send() {
    const text = draft.trim();
    if (!text) return;
    onSend(text);
    setDraft("");
    typing?.stop();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // While an input method composes (CJK), Enter confirms the composition, not the message.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        ref={box}
        className="composer__input"
        rows={1}
        value={draft}
        maxLength={MAX_LENGTH}
        placeholder={placeholder}
        aria-label="Message"
        onChange={(e) => {
          setDraft(e.target.value);
          typing?.input(e.target.value.trim() === "");
        }}
        onKeyDown={onKeyDown}
        onBlur={() => typing?.stop()}
      />
      <button type="submit" className="button button--primary composer__send" disabled={!draft.trim()} title="Send (Enter)">
        Send
      </button>
      <p className="composer__hint">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
      </p>
    </form>
  );
}
