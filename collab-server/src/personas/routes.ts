import { z } from "zod";
import { jsonBody, type ApiRoutes } from "../http";
import type { Personas } from "./personas";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");
// Shapes only; the rules of each field (lengths, colour, range) are doc-model's personaProblems.
const fields = {
  name: z.string().max(1000),
  color: z.string().max(100),
  systemPrompt: z.string().max(100_000),
  starters: z.array(z.string().max(1000)).max(100),
  model: z.string().max(1000),
  temperature: z.number(),
};
const draft = z.object({ ...fields, color: fields.color.optional(), starters: fields.starters.optional(), model: fields.model.optional(), temperature: fields.temperature.optional() }).strict();
const patch = z.object({
  name: fields.name.optional(), color: fields.color.optional(), systemPrompt: fields.systemPrompt.optional(), starters: fields.starters.optional(),
  model: fields.model.nullable().optional(), temperature: fields.temperature.nullable().optional(),
}).strict();

/**
 * `GET|POST /api/workspaces/:wid/personas` and `PUT|PATCH|DELETE …/personas/:pid` (SPEC AI-19):
 * members list, owners create, replace, change and delete. `GET …/personas/models`: the models
 * a persona may name (AI_ALLOWED_MODELS), for the app's form.
 */
export function personaRoutes(personas: Personas): ApiRoutes {
  return {
    mount(api) {
      api.get("/workspaces/:wid/personas", async (c) => c.json(await personas.list(c.var.user, id.parse(c.req.param("wid")))));
      api.get("/workspaces/:wid/personas/models", async (c) => c.json(await personas.models(c.var.user, id.parse(c.req.param("wid")))));
      api.post("/workspaces/:wid/personas", async (c) => {
        const input = await jsonBody(c, draft);
        return c.json(await personas.create(c.var.user, id.parse(c.req.param("wid")), { ...input, color: input.color ?? "" }), 201);
      });
      // PUT replaces whole, as POST creates: what it leaves out is cleared, the colour defaulted.
      api.put("/workspaces/:wid/personas/:pid", async (c) => {
        const input = await jsonBody(c, draft);
        return c.json(await personas.replace(c.var.user, id.parse(c.req.param("wid")), id.parse(c.req.param("pid")), { ...input, color: input.color ?? "" }));
      });
      api.patch("/workspaces/:wid/personas/:pid", async (c) => {
        const input = await jsonBody(c, patch);
        return c.json(await personas.update(c.var.user, id.parse(c.req.param("wid")), id.parse(c.req.param("pid")), input));
      });
      api.delete("/workspaces/:wid/personas/:pid", async (c) => {
        await personas.remove(c.var.user, id.parse(c.req.param("wid")), id.parse(c.req.param("pid")));
        return c.body(null, 204);
      });
    },
  };
}
