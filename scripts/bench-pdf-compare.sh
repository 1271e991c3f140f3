#!/usr/bin/env bash
# Compares, in one run on one machine, Pactum's PDF export with what a user would otherwise do
# to make the same agreement a PDF: write it out as HTML and convert that with LibreOffice
# headless (and WeasyPrint, if installed). Also measures the peak memory of each.
#
#   scripts/bench-pdf-compare.sh                 # German IT-support template, version 1
#   TEMPLATE=saas-support-en RUNS=20 scripts/bench-pdf-compare.sh
#
# Needs: a release build of `pactum` (built here), python3, hyperfine, GNU time
# (/usr/bin/time), and LibreOffice (Debian: libreoffice-writer-nogui) and/or WeasyPrint.
# The HTML carries the same text and tables as the agreement (every section's structured
# fields as tables, every clause as paragraphs and lists); it is made once, before timing, so
# the conversion alone is timed — the comparison is generous to the converters.
# Output: target/bench-data/pdf-compare.md (hyperfine's table, memory, machine).
set -euo pipefail
cd "$(dirname "$0")/.."

template="${TEMPLATE:-it-support-de}"
runs="${RUNS:-10}"
target="${CARGO_TARGET_DIR:-target}"
work="$target/bench-data/pdf-compare"
rm -rf "$work"
mkdir -p "$work/lo" "$work/wp"
out="$target/bench-data/pdf-compare.md"

cargo build --release --quiet --bin pactum
pactum="$target/release/pactum"
db="$work/bench.db"
id=$("$pactum" --db "$db" new --template "$template")
"$pactum" --db "$db" freeze "$id" --note "Erste Fassung" >/dev/null
"$pactum" --db "$db" export "$id" >"$work/agreement.json"
"$pactum" --db "$db" pdf "$id" --version 1 -o "$work/pactum.pdf"

# The same agreement as one HTML file.
python3 - "$work/agreement.json" "$work/agreement.html" <<'PY'
import html, json, re, sys

doc = json.load(open(sys.argv[1]))
a = doc.get("agreement", doc)
esc = html.escape

def inline(t):
    t = esc(t)
    t = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", t)
    return re.sub(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)", r"<i>\1</i>", t)

def clauses(text):
    out, items, kind = [], [], None
    def flush():
        nonlocal items, kind
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{inline(i)}</li>" for i in items) + f"</{kind}>")
        items, kind = [], None
    for block in re.split(r"\n\s*\n", text or ""):
        for line in block.splitlines():
            s = line.strip()
            m = re.match(r"^(?:[-*]|\d+\.)\s+(.*)", s)
            if m:
                k = "ol" if s[0].isdigit() else "ul"
                if kind not in (None, k):
                    flush()
                kind = k
                items.append(m.group(1))
            elif s.startswith("#"):
                flush()
                out.append(f"<h3>{inline(s.lstrip('#').strip())}</h3>")
            elif s:
                flush()
                out.append(f"<p>{inline(s)}</p>")
        flush()
    return "\n".join(out)

def scalar(v):
    return v is None or isinstance(v, (str, int, float, bool))

def value(v):
    if isinstance(v, list) and all(scalar(x) for x in v):
        return ", ".join(esc(str(x)) for x in v)
    if isinstance(v, dict) and all(scalar(x) for x in v.values()):
        return "; ".join(f"{esc(k)}: {esc(str(x))}" for k, x in v.items() if x not in (None, ""))
    return esc(json.dumps(v, ensure_ascii=False)) if not scalar(v) else esc("" if v is None else str(v))

def render(name, v, level):
    h = f"h{min(level, 4)}"
    if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
        cols = []
        for row in v:
            for k in row:
                if k not in cols:
                    cols.append(k)
        head = "".join(f"<th>{esc(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{value(r.get(c))}</td>" for c in cols) + "</tr>" for r in v)
        return f"<{h}>{esc(name)}</{h}><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(v, dict):
        rows, parts = [], []
        for k, x in v.items():
            if k == "clauses":
                continue
            if scalar(x) or (isinstance(x, list) and all(scalar(y) for y in x)):
                rows.append(f"<tr><th>{esc(k)}</th><td>{value(x)}</td></tr>")
            else:
                parts.append(render(k, x, level + 1))
        table = f"<table>{''.join(rows)}</table>" if rows else ""
        text = clauses(v.get("clauses", "")) if isinstance(v.get("clauses"), str) else ""
        return f"<{h}>{esc(name)}</{h}>{table}{''.join(parts)}{text}"
    return f"<p><b>{esc(name)}</b>: {value(v)}</p>"

sections = [k for k in a if k not in ("title", "language")]
body = "\n".join(render(k.replace("_", " ").title(), a[k], 2) for k in sections)
style = """
@page { size: A4; margin: 25mm; }
body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 20pt; } h2 { font-size: 14pt; page-break-after: avoid; } h3, h4 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
th, td { border: 0.5pt solid #999; padding: 3pt; text-align: left; vertical-align: top; font-size: 9pt; }
thead { display: table-header-group; } p { text-align: justify; }
"""
open(sys.argv[2], "w").write(
    f"<!DOCTYPE html><html lang='{esc(a.get('language', 'de'))}'><head><meta charset='utf-8'>"
    f"<title>{esc(a['title'])}</title><style>{style}</style></head>"
    f"<body><h1>{esc(a['title'])}</h1>{body}</body></html>"
)
PY

machine() {
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- cpu: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
    echo "- memory: $(free -g | awk '/^Mem:/ {print $2 " GB"}')"
    echo "- load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- commit: $(git rev-parse --short HEAD)$(git status --porcelain 2>/dev/null | grep -q . && echo ' (other uncommitted changes in the tree)')"
}

peak() { # peak resident memory in MB of a command
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}'
}

profile="file://$PWD/$work/lo-profile"
commands=(-n "pactum pdf (open database, read version, render, write)"
    "$pactum --db $db pdf $id --version 1 -o $work/pactum.pdf")
lo=""
if command -v soffice >/dev/null; then
    lo="soffice --headless -env:UserInstallation=$profile --convert-to pdf --outdir $work/lo $work/agreement.html"
    $lo >/dev/null 2>&1 # first start creates the profile
    commands+=(-n "LibreOffice headless, HTML to PDF" "$lo")
fi
wp=""
if command -v weasyprint >/dev/null; then
    wp="weasyprint $work/agreement.html $work/wp/agreement.pdf"
    commands+=(-n "WeasyPrint, HTML to PDF" "$wp")
fi

{
    echo "## PDF export compared ($template, version 1)"
    echo
    machine
    echo
    echo "Pages: pactum $(pdfinfo "$work/pactum.pdf" | awk '/^Pages/ {print $2}')"\
"$( [ -n "$lo" ] && echo ", LibreOffice $(pdfinfo "$work/lo/agreement.pdf" | awk '/^Pages/ {print $2}')")"\
"$( [ -n "$wp" ] && echo ", WeasyPrint $(pdfinfo "$work/wp/agreement.pdf" | awk '/^Pages/ {print $2}')")"
    echo
} >"$out"

hyperfine --warmup 2 --runs "$runs" --export-markdown "$work/hyperfine.md" "${commands[@]}"
cat "$work/hyperfine.md" >>"$out"

{
    echo
    echo "Peak memory (maximum resident set size, /usr/bin/time -v):"
    echo
    echo "- pactum pdf: $(peak "$pactum" --db "$db" pdf "$id" --version 1 -o "$work/pactum.pdf") MB"
    if [ -n "$lo" ]; then echo "- LibreOffice: $(peak $lo) MB"; fi
    if [ -n "$wp" ]; then echo "- WeasyPrint: $(peak $wp) MB"; fi
} >>"$out"

echo
cat "$out"
