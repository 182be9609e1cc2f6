// The notes editor's schema beyond StarterKit: task lists, highlighted code blocks, and the
// AI's provenance (SPEC NOTE-6): the `aiRun` mark on text a run wrote and the `aiRun`
// attribute on blocks it created. Both must exist here, or y-prosemirror would drop that
// content when it meets a mark or attribute the schema does not know.
import { AI_RUN, aiRunOf } from "@junokit/doc-model";
import { Extension, Mark, mergeAttributes } from "@tiptap/core";
import CodeBlockLowlight from "@tiptap/extension-code-block-lowlight";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { common, createLowlight } from "lowlight";

const lowlight = createLowlight(common);

/** Code blocks with highlighting; they may carry the AI's mark (and nothing else). */
export const NotesCodeBlock = CodeBlockLowlight.extend({ marks: AI_RUN }).configure({ lowlight, defaultLanguage: null });

/** Text written by an AI run: `{runId, persona, requestedBy}`, shown as `span.ai-run[data-run]`. */
export const AiRunMark = Mark.create({
  name: AI_RUN,
  // People typing next to or inside AI text write their own text (see stripAiRunFromTyping).
  inclusive: false,
  addAttributes() {
    return { runId: { default: null }, persona: { default: null }, requestedBy: { default: null } };
  },
  parseHTML() {
    return [{ tag: "span[data-run]", getAttrs: (el) => ({ runId: (el as HTMLElement).dataset.run ?? null }) }];
  },
  renderHTML({ HTMLAttributes }) {
    const run = aiRunOf({ [AI_RUN]: HTMLAttributes });
    return ["span", mergeAttributes({ class: "ai-run", "data-run": run?.runId ?? "", "data-persona": run?.persona ?? "" }), 0];
  },
  addProseMirrorPlugins() {
    return [stripAiRunFromTyping(this.type.name)];
  },
});

/** Blocks an AI run created carry its id; a split-off block is the person's, so it is not kept. */
export const AiRunBlocks = Extension.create({
  name: "aiRunBlocks",
  addGlobalAttributes() {
    return [{
      types: ["paragraph", "heading", "codeBlock", "blockquote", "bulletList", "orderedList", "listItem", "taskList", "taskItem"],
      attributes: {
        [AI_RUN]: {
          default: null,
          keepOnSplit: false,
          parseHTML: (el) => el.getAttribute("data-ai-run"),
          renderHTML: (attrs) => (attrs[AI_RUN] ? { "data-ai-run": attrs[AI_RUN] } : {}),
        },
      },
    }];
  },
});

/**
 * What a person types or pastes is theirs: the AI mark is removed from text inserted by local
 * edits (remote and AI changes arrive through y-sync and keep it).
 */
function stripAiRunFromTyping(markName: string): Plugin {
  return new Plugin({
    key: new PluginKey("stripAiRunFromTyping"),
    appendTransaction(transactions, _old, state) {
      const markType = state.schema.marks[markName];
      if (!markType) return null;
      const ranges: [number, number][] = [];
      for (const tr of transactions) {
        if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) continue;
        const later = transactions.slice(transactions.indexOf(tr) + 1);
        tr.steps.forEach((step, i) => {
          step.getMap().forEach((_a, _b, start, end) => {
            if (end <= start) return;
            // Map the inserted range through the rest of this transaction and the later ones.
            let from = start;
            let to = end;
            for (const map of [...tr.mapping.maps.slice(i + 1), ...later.flatMap((t) => t.mapping.maps)]) {
              from = map.map(from, 1);
              to = map.map(to, -1);
            }
            if (to > from) ranges.push([from, to]);
          });
        });
      }
      const marked = ranges.filter(([from, to]) => state.doc.rangeHasMark(from, to, markType));
      if (marked.length === 0) return null;
      const tr = state.tr;
      for (const [from, to] of marked) tr.removeMark(from, to, markType);
      return tr.setMeta("addToHistory", false);
    },
  });
}
