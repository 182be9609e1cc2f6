import { BUILT_IN_PERSONAS, observeIndexPersonas, readIndexPersonas, resolvePersona, type Persona } from "@junokit/doc-model";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useDocumentValue, type DocumentHandle } from "../connection";

const NONE: readonly Persona[] = [];
const CustomPersonas = createContext<readonly Persona[]>(NONE);

/** The open workspace's custom personas for everything below it. */
export function PersonasProvider({ value, children }: { value: readonly Persona[]; children: ReactNode }) {
  return <CustomPersonas.Provider value={value}>{children}</CustomPersonas.Provider>;
}

export function useCustomPersonas(): readonly Persona[] {
  return useContext(CustomPersonas);
}

/** Built-ins first, then the workspace's own: what a picker offers. */
export function usePersonaList(): readonly Persona[] {
  const custom = useCustomPersonas();
  return useMemo(() => [...BUILT_IN_PERSONAS, ...custom], [custom]);
}

/** The persona `meta.persona` names; a deleted or unknown one shows as Dev, as the AI answers. */
export function usePersona(id: string): Persona {
  const custom = useCustomPersonas();
  return useMemo(() => resolvePersona(id, custom), [id, custom]);
}

/** The custom personas the server mirrors into the workspace index, live (and offline). */
export function useWorkspacePersonas(index: DocumentHandle | null): readonly Persona[] {
  return useDocumentValue(index, observeIndexPersonas, readIndexPersonas, NONE);
}
