import { useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { completeMention, matchMentionables, mentionAt, type Mentionable, type MentionToken } from "./completion";

interface Options {
  box: RefObject<HTMLTextAreaElement | null>;
  draft: string;
  mentionables: readonly Mentionable[];
  /** Puts the completed draft in place (the composer owns the draft). */
  onComplete(text: string): void;
}

export interface MentionCompletion {
  /** Call after every change of the draft or the caret (input, select, click). */
  update(el: HTMLTextAreaElement): void;
  /** Call first in the box's keydown handler; true when the key was the list's. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** Attributes tying the text box to the list (aria-controls, aria-activedescendant). */
  inputProps: Record<string, string | undefined>;
  /** The list of matches, or null when closed. */
  menu: ReactNode;
}

/**
 * `@` completion for a textarea: a listbox of matching people and the AI while the caret is
 * in an `@…` token; arrows move, Enter or Tab picks, Escape closes it until the token changes.
 */
export function useMentionCompletion({ box, draft, mentionables, onComplete }: Options): MentionCompletion {
  const [token, setToken] = useState<MentionToken | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const caretAfter = useRef<number | null>(null);
  const listId = useId();

  const matches = useMemo(() => (token ? matchMentionables(mentionables, token.query) : []), [token, mentionables]);
  const open = token !== null && dismissed !== token.start && matches.length > 0;

  const current = useRef<MentionToken | null>(null);
  const update = useCallback((el: HTMLTextAreaElement) => {
    const next = el.selectionStart === el.selectionEnd ? mentionAt(el.value, el.selectionStart) : null;
    const prev = current.current;
    if (prev?.start === next?.start && prev?.end === next?.end && prev?.query === next?.query) return;
    current.current = next;
    setToken(next);
    setActive(0);
    if (prev?.start !== next?.start) setDismissed(null);
  }, []);

  const pick = useCallback(
    (m: Mentionable) => {
      if (!token) return;
      const done = completeMention(draft, token, m.handle);
      caretAfter.current = done.caret;
      current.current = null;
      setToken(null);
      onComplete(done.text);
    },
    [draft, token, onComplete],
  );

  // The caret goes after the inserted name once the completed draft is on screen.
  useLayoutEffect(() => {
    const caret = caretAfter.current;
    const el = box.current;
    if (caret === null || !el) return;
    caretAfter.current = null;
    el.focus();
    el.setSelectionRange(caret, caret);
  }, [draft, box]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTextAreaElement>) => {
      if (!open || event.nativeEvent.isComposing) return false;
      const move = (by: number) => setActive((i) => (i + by + matches.length) % matches.length);
      if (event.key === "ArrowDown") move(1);
      else if (event.key === "ArrowUp") move(-1);
      else if (event.key === "Enter" || event.key === "Tab") pick(matches[Math.min(active, matches.length - 1)]!);
      else if (event.key === "Escape") setDismissed(token.start);
      else return false;
      event.preventDefault();
      // Escape here closes the list, not the dialog or drawer around it.
      event.stopPropagation();
      return true;
    },
    [open, matches, active, pick, token],
  );

  const optionId = (i: number) => `${listId}-${i}`;
  // The box stays a textbox (the role people and tests know it by); these tie it to the list.
  const inputProps = {
    "aria-autocomplete": "list",
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open ? optionId(Math.min(active, matches.length - 1)) : undefined,
  };

  const menu = open ? (
    <ul className="mention-menu" id={listId} role="listbox" aria-label="People to mention">
      {matches.map((m, i) => (
        <li
          key={m.handle}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          className={`mention-menu__option${i === active ? " mention-menu__option--active" : ""}${m.kind === "ai" ? " mention-menu__option--ai" : ""}`}
          // Keeps the focus (and the caret) in the text box.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => pick(m)}
          onMouseEnter={() => setActive(i)}
        >
          <span className="mention-menu__handle">@{m.handle}</span>
          <span className="mention-menu__label">{m.label}</span>
        </li>
      ))}
    </ul>
  ) : null;

  return { update, onKeyDown, inputProps, menu };
}
