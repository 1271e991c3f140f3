// Helpers of the PDF export views: the file name suggested in the save dialog, the share of a
// bulk export done, and the ids of every agreement the library shows (search hits, or all
// pages of the filtered list — the library loads rows lazily, so they are asked for here).
import { ipc, type ExportProgress, type ListQuery, type Outcome, type SearchHit } from "../../ipc";

/** A file name for the save dialog: the title without path or control characters. */
export function suggestedPdfName(title: string, suffix = ""): string {
  const cleaned = title
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, "_")
    .replace(/^[\s._]+|[\s._]+$/g, "")
    .slice(0, 80);
  return `${cleaned === "" ? "agreement" : cleaned}${suffix}.pdf`;
}

/** Percent of a bulk export done, 0–100. */
export function percentDone(progress: ExportProgress | null): number {
  if (!progress || progress.total === 0) return 0;
  return Math.round((progress.done / progress.total) * 100);
}

const PAGE = 1000;

/** The ids the library shows: the search hits when searching, else every row of `query`. */
export async function shownIds(hits: SearchHit[] | null, query: Omit<ListQuery, "limit" | "offset">): Promise<Outcome<number[]>> {
  if (hits !== null) return { ok: true, value: hits.map((hit) => hit.id) };
  const ids: number[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const outcome = await ipc.listAgreements({ ...query, limit: PAGE, offset });
    if (!outcome.ok) return outcome;
    ids.push(...outcome.value.items.map((item) => item.id));
    if (outcome.value.items.length < PAGE || ids.length >= outcome.value.total) break;
  }
  return { ok: true, value: ids };
}
