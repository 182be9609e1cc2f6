import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { builtInPersona, personaProblems, resolvePersona, type Persona, type PersonaDraft } from "./personas";
import { observeIndexPersonas, readIndexPersonas, syncIndexPersonas } from "./workspace-index";

const draft: PersonaDraft = { name: "Pirate", color: "#b45309", systemPrompt: "You are Pirate.", starters: ["Ahoy"] };
const pirate: Persona = { id: "pirate123456", ...draft, starters: ["Ahoy"], model: "vendor/x", temperature: 0.5 };

describe("custom personas", () => {
  it("AI-19 an unknown or foreign persona id resolves to Dev; a workspace's own resolves to itself", () => {
    expect(resolvePersona("qa")).toBe(builtInPersona("qa"));
    expect(resolvePersona(pirate.id, [pirate])).toBe(pirate);
    expect(resolvePersona(pirate.id)).toBe(builtInPersona("dev"));
    expect(resolvePersona("")).toBe(builtInPersona("dev"));
  });

  it("AI-19 personaProblems names each bad field in words and accepts the bounds", () => {
    expect(personaProblems(draft)).toEqual({});
    expect(personaProblems({ ...draft, name: "x".repeat(40), temperature: 0, model: "a/b:c" })).toEqual({});
    expect(personaProblems({ ...draft, temperature: 2 })).toEqual({});
    const bad = personaProblems({ name: "x".repeat(41), color: "blue", systemPrompt: " ", model: "", temperature: 2.01, starters: ["", "ok"] });
    expect(Object.keys(bad).sort()).toEqual(["color", "model", "name", "starters", "systemPrompt", "temperature"]);
    expect(personaProblems({ ...draft, name: "QA" }).name).toContain("built-in");
    expect(personaProblems({ ...draft, temperature: Number.NaN }).temperature).toBeDefined();
    expect(personaProblems({ ...draft, starters: ["1", "2", "3", "4", "5", "6"] }).starters).toContain("at most 5");
  });

  it("AI-19 the index mirror follows the list, touching only what differs", () => {
    const doc = new Y.Doc();
    let changes = 0;
    observeIndexPersonas(doc, () => changes++);
    const other: Persona = { ...pirate, id: "another12345", name: "Another" };
    syncIndexPersonas(doc, [pirate, other]);
    expect(readIndexPersonas(doc).map((p) => p.name)).toEqual(["Another", "Pirate"]);
    expect(readIndexPersonas(doc)[1]).toEqual(pirate);
    changes = 0;
    doc.transact(() => syncIndexPersonas(doc, [pirate, other]));
    expect(changes).toBe(0);
    syncIndexPersonas(doc, [{ ...pirate, color: "#000000" }]);
    expect(readIndexPersonas(doc)).toEqual([{ ...pirate, color: "#000000" }]);
  });

  it("AI-19 the mirror is checked as read: a colour that is not #rrggbb is the default, strings are bounded, junk is dropped", () => {
    const doc = new Y.Doc();
    const hostile = { ...pirate, color: "red; background: url(https://evil.example/x)", name: "N".repeat(500), systemPrompt: "p".repeat(20_000), starters: ["s".repeat(999), 7, "b", "c", "d", "e", "f"], model: "two words", temperature: 9 };
    const junk = [{ id: "noname123456", color: "#123456" }, { id: "numbers12345", name: 5, systemPrompt: 5 }];
    syncIndexPersonas(doc, [hostile, ...junk] as unknown as Persona[]);
    const read = readIndexPersonas(doc);
    expect(read).toHaveLength(1);
    expect(read[0]).toEqual({ id: pirate.id, name: "N".repeat(40), color: "#0f766e", systemPrompt: "p".repeat(8000), starters: ["s".repeat(200), "b", "c", "d", "e"] });
    syncIndexPersonas(doc, [{ ...pirate, color: "#ABCDEF" }]);
    expect(readIndexPersonas(doc)).toEqual([{ ...pirate, color: "#ABCDEF" }]);
  });
});
