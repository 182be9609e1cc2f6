import type { PresentPeer } from "./derive";
import { typingText } from "./derive";

/** "bob is typing…" above the composer; keeps its height so the page doesn't jump. */
export function TypingLine({ typing }: { typing: readonly PresentPeer[] }) {
  const text = typingText(typing);
  return (
    <div className="typing" aria-live="polite" data-testid="typing">
      {text && (
        <>
          <span className="typing__dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
