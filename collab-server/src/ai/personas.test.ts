import { builtInPersona, type Persona } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import { askingAs } from "./personas";
import type { AiProvider } from "./provider";

const provider = (modelPerRequest: boolean, allowedModels?: string[]): AiProvider => ({
  describe: () => ({ model: "configured-model", available: true, ...(modelPerRequest ? { modelPerRequest } : {}), ...(allowedModels ? { allowedModels } : {}) }),
  stream: () => {
    throw new Error("not streamed here");
  },
});
const tuned: Persona = { ...builtInPersona("dev")!, id: "custom123456", model: "vendor/own", temperature: 0 };

describe("asking as a persona", () => {
  it("AI-19 an endpoint is asked for the persona's model and temperature; the reply records that model", () => {
    expect(askingAs(provider(true), tuned)).toEqual({ model: "vendor/own", request: { model: "vendor/own", temperature: 0 } });
  });

  it("AI-19 a provider with one fixed model (a local file) keeps it, and still gets the temperature", () => {
    expect(askingAs(provider(false), tuned)).toEqual({ model: "configured-model", request: { temperature: 0 } });
  });

  it("AI-19 a built-in persona asks for nothing special", () => {
    expect(askingAs(provider(true), builtInPersona("qa")!)).toEqual({ model: "configured-model", request: {} });
  });

  it("AI-19 a persona's model no longer in AI_ALLOWED_MODELS falls back to the configured model", () => {
    expect(askingAs(provider(true, ["configured-model"]), tuned)).toEqual({ model: "configured-model", request: { temperature: 0 } });
    expect(askingAs(provider(true, ["configured-model", "vendor/own"]), tuned)).toEqual({ model: "vendor/own", request: { model: "vendor/own", temperature: 0 } });
  });
});
