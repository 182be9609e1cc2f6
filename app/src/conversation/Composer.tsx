import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useMentionCompletion, type Mentionable } from "../mentions";
import type { TypingSignal } from "../presence";

interface Props {
  placeholder: string;
  onSend(text: string): void;
  typing: TypingSignal | null;
  /** Text put into the draft from outside (a starter prompt). */
  suggestion: { text: string; at: number } | null;
  /** Who `@` completes: the workspace's members and the AI. */
  mentionables?: readonly Mentionable[];
}

const NO_MENTIONABLES: readonly Mentionable[] = [];

const MAX_LENGTH = 20_000;

/** The message box: Enter sends, Shift+Enter breaks the line, `@` completes names. */
export function Composer({ placeholder, onSend, typing, suggestion, mentionables = NO_MENTIONABLES }: Props) {
  const [draft, setDraft] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const onComplete = useCallback(
    (text: string) => {
      setDraft(text);
      typing?.input(text.trim() === "");
    },
    [typing],
  );
  const mention = useMentionCompletion({ box, draft, mentionables, onComplete });

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
    if (mention.onKeyDown(event)) return;
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
        {...mention.inputProps}
        onChange={(e) => {
          setDraft(e.target.value);
          typing?.input(e.target.value.trim() === "");
          mention.update(e.target);
        }}
        onSelect={(e) => mention.update(e.currentTarget)}
        onKeyDown={onKeyDown}
        onBlur={() => typing?.stop()}
      />
      {mention.menu}
      <button type="submit" className="button button--primary composer__send" disabled={!draft.trim()} title="Send (Enter)">
        Send
      </button>
      <p className="composer__hint">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line · <kbd>@</kbd> to mention
      </p>
    </form>
  );
}
