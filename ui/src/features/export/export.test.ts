// The PDF preview renderer, the single-PDF export flow and the bulk export's progress and
// cancel, against a mocked backend.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import PdfPage from "./PdfPage.svelte";
import PdfPreviewDialog from "./PdfPreviewDialog.svelte";
import BulkExport from "./BulkExport.svelte";
import RedlineButton from "./RedlineButton.svelte";
import PdfButton from "./PdfButton.svelte";
import { percentDone, shownIds, suggestedPdfName } from "./export";
import type { ExportProgress, ExportSummary, PagePreview } from "../../ipc";
import { serve } from "../approvals/fixtures";


const HOSTILE = `<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> & "quotes"`;

function page(number: number, texts: string[]): PagePreview {
  return {
    number,
    width_pt: 595.276,
    height_pt: 841.89,
    texts: texts.map((text, i) => ({
      x: 56,
      y: 100 + i * 20,
      size: i === 0 ? 24 : 10,
      bold: i === 0,
      italic: false,
      color: "#1c1f24",
      text,
      space_extra: 0,
      width: text.length * 5,
      rotated: false,
      decoration: "",
    })),
    lines: [{ x1: 56, y1: 130, x2: 539, y2: 130, width: 0.5, color: "#cccccc" }],
    rects: [{ x: 56, y: 140, w: 200, h: 20, color: "#eeeeee" }],
  };
}

describe("PDF page preview", () => {
  it("draws every run as an SVG text node at its position", () => {
    render(PdfPage, { page: page(1, ["Support agreement", "Between A and B"]) });
    const texts = screen.getAllByTestId("pdf-text");
    expect(texts.map((t) => t.textContent)).toEqual(["Support agreement", "Between A and B"]);
    expect(texts[0]!.tagName.toLowerCase()).toBe("text");
    expect(texts[0]!.getAttribute("font-weight")).toBe("bold");
    expect(texts[1]!.getAttribute("y")).toBe("120");
    expect(texts[1]!.getAttribute("textLength")).toBe(String("Between A and B".length * 5));
    expect(screen.getByTestId("pdf-page").querySelectorAll("line")).toHaveLength(1);
  });

  it("shows hostile text literally", () => {
    render(PdfPage, { page: page(1, [HOSTILE]) });
    const node = screen.getByTestId("pdf-text");
    expect(node.textContent).toBe(HOSTILE);
    const figure = screen.getByTestId("pdf-page");
    expect(figure.querySelector("script")).toBeNull();
    expect(figure.querySelector("img")).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });
});

describe("PDF preview dialog and export", () => {
  const props = { id: 7, version: null, language: "en" as const, title: "Support/../x", onclose: () => {} };

  it("asks for the first three pages and shows them", async () => {
    const calls = serve({ pdf_preview: () => [page(1, ["Title page"]), page(2, ["Contents"]), page(3, ["1 Overview"])] });
    render(PdfPreviewDialog, props);
    await waitFor(() => expect(screen.getAllByTestId("pdf-page")).toHaveLength(3));
    expect(calls[0]).toEqual({ cmd: "pdf_preview", args: { id: 7, version: null, lang: "en", maxPages: 3 } });
    expect(screen.getByText("Title page")).toBeTruthy();
  });

  it("re-lays out in the language chosen", async () => {
    const calls = serve({ pdf_preview: (args) => [page(1, [args.lang === "de" ? "Deckblatt" : "Cover"])] });
    render(PdfPreviewDialog, props);
    await screen.findByText("Cover");
    await fireEvent.change(screen.getByTestId("pdf-language"), { target: { value: "de" } });
    await screen.findByText("Deckblatt");
    expect(calls.map((c) => c.args.lang)).toEqual(["en", "de"]);
  });

  it("does nothing when the save dialog is cancelled", async () => {
    const calls = serve({ pdf_preview: () => [page(1, ["Cover"])], export_pdf: () => null });
    render(PdfPreviewDialog, props);
    await screen.findByText("Cover");
    await fireEvent.click(screen.getByTestId("pdf-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "export_pdf")).toBe(true));
    const exportCall = calls.find((c) => c.cmd === "export_pdf")!;
    expect(exportCall.args).toEqual({ id: 7, version: null, lang: "en", suggestedName: "Support_.._x.pdf" });
    await waitFor(() => expect((screen.getByTestId("pdf-save") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("pdf-saved")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says where the PDF was saved", async () => {
    serve({ pdf_preview: () => [page(1, ["Cover"])], export_pdf: () => "/home/me/Support.pdf" });
    render(PdfPreviewDialog, props);
    await screen.findByText("Cover");
    await fireEvent.click(screen.getByTestId("pdf-save"));
    expect((await screen.findByTestId("pdf-saved")).textContent).toBe("Saved to /home/me/Support.pdf");
  });

  it("shows an export error by its code", async () => {
    serve({
      pdf_preview: () => [page(1, ["Cover"])],
      export_pdf: () => {
        throw { code: "io", message: "cannot write /readonly/x.pdf: Permission denied", problems: [] };
      },
    });
    render(PdfPreviewDialog, props);
    await screen.findByText("Cover");
    await fireEvent.click(screen.getByTestId("pdf-save"));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The PDF could not be exported")).toBeTruthy();
    expect(within(alert).getByTestId("error-code").textContent).toBe("io");
    expect(within(alert).getByText("Pactum could not read or write the database file or its folder.")).toBeTruthy();
  });

  it("shows a preview error (a character the font lacks) with the engine's message", async () => {
    serve({
      pdf_preview: () => {
        throw { code: "invalid_input", message: "the PDF font has no glyph for 🙂", problems: [] };
      },
    });
    render(PdfPreviewDialog, props);
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByTestId("error-message").textContent).toContain("🙂");
  });
});

describe("bulk PDF export", () => {
  it("shows progress with count and title, and cancels", async () => {
    let finish: (summary: ExportSummary) => void = () => {};
    let send: (p: ExportProgress) => void = () => {};
    const calls = serve({
      export_pdfs: (args) => {
        send = (p) => (args.onProgress as { onmessage: (p: ExportProgress) => void }).onmessage(p);
        return new Promise((resolve) => (finish = resolve));
      },
      cancel_pdf_export: () => null,
    });
    render(BulkExport, { count: 3, collect: async () => ({ ok: true as const, value: [1, 2, 3] }) });
    await fireEvent.click(screen.getByTestId("bulk-pdf"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "export_pdfs")).toBe(true));
    expect(calls[0]!.args.ids).toEqual([1, 2, 3]);

    send({ done: 1, total: 3, current_id: 2, current_title: "<b>Second</b>" });
    expect((await screen.findByTestId("bulk-pdf-current")).textContent).toBe("Now: <b>Second</b>");
    expect(screen.getByTestId("bulk-pdf-count").textContent?.trim()).toBe("1 of 3");
    expect(screen.getByTestId("bulk-pdf-progress").getAttribute("aria-valuenow")).toBe("33");

    await fireEvent.click(screen.getByTestId("bulk-pdf-cancel"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "cancel_pdf_export")).toBe(true));
    finish({ written: ["/out/a-1.pdf"], failed: [], cancelled: true });
    expect((await screen.findByTestId("bulk-pdf-result")).textContent?.trim()).toBe("Cancelled after 1 PDFs.");
  });

  it("reports agreements that failed by code and closes quietly when the folder dialog is cancelled", async () => {
    serve({
      export_pdfs: () => ({
        written: ["/out/a-1.pdf"],
        failed: [{ id: 2, code: "invalid_input", message: "no glyph for 🙂" }],
        cancelled: false,
      }),
    });
    render(BulkExport, { count: 2, collect: async () => ({ ok: true as const, value: [1, 2] }) });
    await fireEvent.click(screen.getByTestId("bulk-pdf"));
    expect((await screen.findByTestId("bulk-pdf-result")).textContent?.trim()).toBe("1 PDFs written to the folder you chose.");
    expect(screen.getByTestId("bulk-pdf-failed").textContent).toContain("no glyph for 🙂");

    serve({ export_pdfs: () => null });
    await fireEvent.click(screen.getByTestId("bulk-pdf-close"));
    await fireEvent.click(screen.getByTestId("bulk-pdf"));
    await waitFor(() => expect(screen.queryByTestId("bulk-pdf-dialog")).toBeNull());
  });
});

describe("redline and PDF buttons", () => {
  it("exports the redline of two versions; a cancelled dialog shows nothing", async () => {
    const calls = serve({ export_redline_pdf: () => null });
    render(RedlineButton, { id: 3, from: 1, to: 2, title: "SLA" });
    await fireEvent.click(screen.getByTestId("redline-save"));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.args).toEqual({ id: 3, from: 1, to: 2, lang: null, suggestedName: "SLA redline 1-2.pdf" });
    await waitFor(() => expect((screen.getByTestId("redline-save") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("redline-saved")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a redline error by its code", async () => {
    serve({
      export_redline_pdf: () => {
        throw { code: "version_not_found", message: "agreement 3 has no version 2", problems: [] };
      },
    });
    render(RedlineButton, { id: 3, from: 1, to: 2, title: "SLA" });
    await fireEvent.click(screen.getByTestId("redline-save"));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByTestId("error-code").textContent).toBe("version_not_found");
  });

  it("saves pending edits before the preview opens", async () => {
    const order: string[] = [];
    serve({
      pdf_preview: () => {
        order.push("preview");
        return [page(1, ["Cover"])];
      },
    });
    render(PdfButton, {
      id: 1,
      language: "de",
      title: "SLA",
      flush: async () => {
        order.push("flush");
      },
    });
    await fireEvent.click(screen.getByTestId("pdf-open"));
    await screen.findByText("Cover");
    expect(order).toEqual(["flush", "preview"]);
  });
});

describe("export helpers", () => {
  it("suggests file names without path or control characters", () => {
    expect(suggestedPdfName("../../etc/passwd")).toBe("etc_passwd.pdf");
    expect(suggestedPdfName("a\u0000b\nc", " v2")).toBe("a_b_c v2.pdf");
    expect(suggestedPdfName("  ")).toBe("agreement.pdf");
  });

  it("computes the share done", () => {
    expect(percentDone(null)).toBe(0);
    expect(percentDone({ done: 2, total: 4, current_id: null, current_title: "" })).toBe(50);
  });

  it("collects every page of the filtered list", async () => {
    const calls = serve({
      list_agreements: (args) => {
        const q = args.query as { offset: number };
        const items = q.offset === 0 ? Array.from({ length: 1000 }, (_, i) => ({ id: i + 1 })) : [{ id: 1001 }];
        return { total: 1001, items };
      },
    });
    const outcome = await shownIds(null, { status: "draft", sort: "updated_at", descending: true });
    expect(outcome.ok && outcome.value.length).toBe(1001);
    expect(calls.map((c) => (c.args.query as { offset: number }).offset)).toEqual([0, 1000]);
    const hits = await shownIds([{ id: 5, title: "", customer: "", status: "draft", snippet: "" }], {
      status: null,
      sort: "updated_at",
      descending: true,
    });
    expect(hits).toEqual({ ok: true, value: [5] });
  });
});
