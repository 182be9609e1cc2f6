import { describe, expect, it } from "vitest";
import { fileNameFrom, formatBytes, importContentType, progressText } from "./files";

describe("export download names (APP-XFER-1)", () => {
  it("prefers the UTF-8 name, then the quoted one, else the fallback", () => {
    expect(fileNameFrom(`attachment; filename="Caf_ plan.json"; filename*=UTF-8''Caf%C3%A9%20plan.json`, "x.json")).toBe("Café plan.json");
    expect(fileNameFrom(`attachment; filename="Launch plan.md"`, "x.md")).toBe("Launch plan.md");
    expect(fileNameFrom("attachment; filename=plain.yjs", "x.yjs")).toBe("plain.yjs");
    expect(fileNameFrom("attachment", "x.json")).toBe("x.json");
    expect(fileNameFrom(null, "x.json")).toBe("x.json");
  });

  it("never yields a path or an empty name", () => {
    expect(fileNameFrom(`attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd`, "x")).toBe(".._.._etc_passwd");
    expect(fileNameFrom(`attachment; filename=".."`, "x.json")).toBe("x.json");
    expect(fileNameFrom(`attachment; filename*=UTF-8''%E0%A4%A; filename="ok.md"`, "x")).toBe("ok.md");
  });
});

describe("import requests (APP-XFER-2)", () => {
  it("labels each format by the file's name so the server reads it right", () => {
    expect(importContentType("conversations.json")).toBe("application/json");
    expect(importContentType("Notes.MD")).toBe("text/markdown; charset=utf-8");
    expect(importContentType("plan.markdown")).toBe("text/markdown; charset=utf-8");
    expect(importContentType("doc.yjs")).toBe("application/octet-stream");
    expect(importContentType("export")).toBeNull();
    expect(importContentType("photo.png")).toBeNull();
  });

  it("says how far an upload is, then that the server is working", () => {
    expect(progressText({ phase: "uploading", loaded: 0, total: 2048 })).toBe("Uploading 0 B of 2.0 KB (0 %)");
    expect(progressText({ phase: "uploading", loaded: 3_355_443, total: 10 * 1024 * 1024 })).toBe("Uploading 3.2 MB of 10 MB (31 %)");
    expect(progressText({ phase: "processing", loaded: 5, total: 5 })).toBe("Importing: the server is checking the file…");
    expect(formatBytes(850)).toBe("850 B");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MB");
  });
});
