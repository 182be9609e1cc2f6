import { useState } from "react";
import { ImportDialog } from "./ImportDialog";
import { workspaceExportPath } from "./transfer-api";
import { fileBase, useExport } from "./useExport";

interface Props {
  workspaceId: string;
  workspaceName: string | undefined;
  /** Editors and owners may import; viewers only export (SPEC XFER-6). */
  canImport: boolean;
  onOpen(conversationId: string): void;
}

/** The sidebar's "Import…" and "Export workspace" (every conversation in one JSON archive). */
export function WorkspaceTransfer({ workspaceId, workspaceName, canImport, onOpen }: Props) {
  const [importing, setImporting] = useState(false);
  const exporting = useExport();
  return (
    <div className="transfer-tools">
      {canImport && (
        <button type="button" className="transfer-tools__button" onClick={() => setImporting(true)}>
          Import…
        </button>
      )}
      <button
        type="button"
        className="transfer-tools__button"
        disabled={exporting.busy}
        title="Download every conversation of this workspace as one JSON file"
        onClick={() => void exporting.run(workspaceExportPath(workspaceId), `${fileBase(workspaceName ?? "", "workspace")}.json`)}
      >
        {exporting.busy ? "Exporting…" : "Export workspace"}
      </button>
      {exporting.error && (
        <p className="transfer-tools__error" role="alert">
          Export failed: {exporting.error}{" "}
          <button type="button" className="transfer-tools__dismiss" onClick={exporting.clear}>
            OK
          </button>
        </p>
      )}
      {importing && (
        <ImportDialog
          workspaceId={workspaceId}
          onClose={() => setImporting(false)}
          onOpen={(id) => {
            setImporting(false);
            onOpen(id);
          }}
        />
      )}
    </div>
  );
}
