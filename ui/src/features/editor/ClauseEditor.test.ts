// The clause editor: typing is autosaved, and the preview shows the engine's parsed structure
// as text — markup in a clause appears literally and creates no elements.
import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { open, saved, serve } from "./testing";

describe("clause editor", () => {
  it("previews paragraphs and lists and renders markup as text", async () => {
    const server = serve({ title: "Clauses", language: "en", channels: { channels: [], clauses: "" } });
    await open("channels");
    const text = "First paragraph <img src=x onerror=alert(1)>\n\n- one\n- two";
    await fireEvent.input(screen.getByTestId("clauses"), { target: { value: text } });
    const preview = screen.getByTestId("clause-preview");
    await waitFor(() => expect(within(preview).getAllByRole("listitem"), "the bullet list").toHaveLength(2));
    expect(preview.textContent, "the payload shows literally").toContain("<img src=x onerror=alert(1)>");
    expect(preview.querySelector("img"), "no element was created from the text").toBeNull();
    await saved(server, (d) => d.channels.clauses === text, "the clause text is autosaved");
  });

  it("can hide the preview", async () => {
    serve({ title: "Clauses", language: "en" });
    await open("training");
    await fireEvent.click(screen.getByRole("button", { name: "Hide preview" }));
    expect(screen.queryByTestId("clause-preview")).toBeNull();
  });
});
