#!/usr/bin/env python3
"""Importer accuracy on a development part and a held-out part of the handed corpora.

    bench/import-holdout.py [--binary .build/debug/dateline] [--part dev|held|all] [-v]
                            [--reliability]

Every fourth case of each corpus, in file-name order (the 4th, 8th, ...), is held out; the rest
is the development part. Scores each case with ../shared/tools/score-import's own scoring
(loaded from that file, so the figures agree with it) and prints per-field accuracy for the
development part, the held-out part and the whole, for text and HTML. With -v, prints each
case's misses for the part chosen by --part (default dev: look only at the development part
while working on the importer).

With --reliability, reads the `confidence` object of each extraction and prints, over the
held-out part of both corpora together, a reliability table: the confidences grouped in bins,
and how often the field was right in each bin (a field is right when its score is 1; the
body counts as right when its start, end and cleanliness all are, the contacts when names and
details are, the quotations when speakers and texts are).
Standard library only.
"""
import argparse, importlib.machinery, importlib.util, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))
CORPORA = [("text", os.path.join(SHARED, "corpus", "press-releases", "handed")),
           ("HTML", os.path.join(SHARED, "corpus", "press-releases-html", "handed"))]

# Output field of the extraction -> the scorer's fields that judge it.
JUDGED_BY = {
    "headline": ["headline"], "subheadline": ["subheadline"], "release_timing": ["release_timing"],
    "embargo_until": ["embargo_until"], "dateline_city": ["dateline_city"], "date": ["date"],
    "language": ["language"], "issuer": ["issuer"], "contacts": ["contacts", "contact_details"],
    "quotes": ["quote_speakers", "quote_texts"], "body": ["body_start", "body_end", "body_clean"],
    "boilerplate": ["boilerplate"], "statement_url": ["statement_url"],
}


def load_scorer():
    path = os.path.join(SHARED, "tools", "score-import")
    loader = importlib.machinery.SourceFileLoader("score_import", path)
    spec = importlib.util.spec_from_loader("score_import", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def cases(corpus):
    names = os.listdir(corpus)
    found = sorted(f for f in names if f.rsplit(".", 1)[-1] in ("txt", "html", "htm")
                   and f.rsplit(".", 1)[0] + ".json" in names)
    return [(name, "held" if i % 4 == 3 else "dev") for i, name in enumerate(found)]


def run(binary, path):
    try:
        out = subprocess.run([binary, "import", "--json", path], capture_output=True, timeout=60)
        got = json.loads(out.stdout.decode("utf-8"))
        return got if isinstance(got, dict) else None
    except (subprocess.TimeoutExpired, ValueError, UnicodeDecodeError, OSError):
        return None


def table(rows, parts):
    fields = []
    for part in parts:
        for scores in rows.get(part, []):
            for k in scores:
                if k not in fields:
                    fields.append(k)
    lines = ["| field | " + " | ".join(f"{p} ({len(rows.get(p, []))})" for p in parts) + " |",
             "|---|" + "---|" * len(parts)]
    overall = {}
    for k in fields:
        cells = []
        for p in parts:
            vals = [s[k] for s in rows.get(p, []) if k in s]
            if vals:
                acc = sum(vals) / len(vals)
                overall.setdefault(p, []).append(acc)
                cells.append(f"{acc:.3f}" + (f" ({len(vals)})" if len(vals) < len(rows[p]) else ""))
            else:
                cells.append("—")
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    lines.append("| **overall** | " + " | ".join(
        f"**{sum(overall[p]) / len(overall[p]):.3f}**" if overall.get(p) else "—" for p in parts) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "debug", "dateline"))
    ap.add_argument("--part", choices=["dev", "held", "all"], default="dev")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--reliability", action="store_true")
    args = ap.parse_args()
    scorer = load_scorer()
    judged = []  # (part, output field, confidence, right)
    for label, corpus in CORPORA:
        rows = {}
        for name, part in cases(corpus):
            with open(os.path.join(corpus, name.rsplit(".", 1)[0] + ".json"), encoding="utf-8") as f:
                exp = json.load(f)
            got = run(args.binary, os.path.join(corpus, name))
            scores = scorer.score_case(exp, got or {})
            if got is None:
                scores = {k: 0.0 for k in scores}
            rows.setdefault(part, []).append(scores)
            rows.setdefault("all", []).append(scores)
            if args.verbose and args.part in (part, "all"):
                misses = [k for k, v in scores.items() if v < 1]
                if misses or got is None:
                    print(f"{label} {name}: " + ("no extraction; " if got is None else "")
                          + ", ".join(f"{k}={scores[k]:.2f}" for k in misses))
            confidence = (got or {}).get("confidence") or {}
            for field, judges in JUDGED_BY.items():
                present = [scores[j] for j in judges if j in scores]
                if field in confidence and present:
                    judged.append((part, field, float(confidence[field]), all(v >= 1 for v in present)))
        print(f"\n{label}, {corpus}\n")
        print(table(rows, ["dev", "held", "all"]))
    if args.reliability:
        print("\nReliability on the held-out part (text and HTML together)\n")
        print(reliability([(c, r) for p, f, c, r in judged if p == "held"]))
        print("\nReliability on the development part\n")
        print(reliability([(c, r) for p, f, c, r in judged if p == "dev"]))
    return 0


def reliability(pairs):
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.0001)]
    lines = ["| confidence | fields | mean confidence | right |", "|---|---|---|---|"]
    for lo, hi in bins:
        inside = [(c, r) for c, r in pairs if lo <= c < hi]
        if not inside:
            lines.append(f"| {lo:.2f}–{min(hi, 1):.2f} | 0 | — | — |")
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(1 for _, r in inside if r) / len(inside)
        lines.append(f"| {lo:.2f}–{min(hi, 1):.2f} | {len(inside)} | {mean:.2f} | {right:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
