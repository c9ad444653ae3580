#!/usr/bin/env python3
"""Fits the importer's confidence table on the handed corpora.

    bench/import-confidence-fit.py [--binary .build/debug/dateline] [--check]

Runs `import --json --evidence` over every case (bench/import-holdout.py's split: every fourth
case held out) and scores each field with score-import's own scoring. The importer's rules were
written looking at the development part, where nearly every field is right whatever its
evidence, so rates counted there say little about a release the rules have not seen. The table
is therefore counted on the held-out part: for every field and evidence level (ExtractionTrace),
how often the field was right, smoothed towards the field's rate (four pseudo-cases), itself
smoothed towards the rate of all fields; the development part enters only as a weak prior (each
of its fields counts a fifth). It is written to Sources/ReleaseImport/ConfidenceTable.swift.

Because the table is counted on the held-out part, its reliability there would be measured on
the data it was fitted on; this script prints the honest figure instead: each held-out case's
confidences computed from a table fitted without that case (leave one case out). With --check,
prints the table and leaves the file alone.
Standard library only.
"""
import argparse, importlib.machinery, importlib.util, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("holdout", os.path.join(HERE, "import-holdout.py"))
spec = importlib.util.spec_from_loader("holdout", loader)
holdout = importlib.util.module_from_spec(spec)
loader.exec_module(holdout)

TABLE = os.path.join(HERE, "..", "Sources", "ReleaseImport", "ConfidenceTable.swift")
PSEUDO = 4.0


def evidence_of(binary, path):
    out = subprocess.run([binary, "import", "--json", "--evidence", path], capture_output=True, timeout=60)
    try:
        got = json.loads(out.stdout.decode("utf-8"))
    except ValueError:
        got = None
    levels = {}
    for line in out.stderr.decode("utf-8", "replace").splitlines():
        marker = ": evidence: "
        if marker in line:
            levels = json.loads(line.split(marker, 1)[1])
    return got, levels


DEV_WEIGHT = 0.2


def fit(records):
    """The table from (part, case, field, level, right) records: field rates and level rates."""
    w = lambda part: 1.0 if part == "held" else DEV_WEIGHT
    total = sum(w(p) for p, *_ in records)
    overall = sum(w(p) * r for p, _, _, _, r in records) / total if total else 0.5
    field_rates, rates = {}, {}
    fields = sorted({f for _, _, f, _, _ in records})
    for field in fields:
        rows = [(w(p), l, r) for p, _, f, l, r in records if f == field]
        n = sum(x for x, _, _ in rows)
        right = sum(x * r for x, _, r in rows)
        fr = (right + PSEUDO * overall) / (n + PSEUDO)
        field_rates[field] = fr
        by_level = {}
        for x, l, r in rows:
            c = by_level.setdefault(l, [0.0, 0.0])
            c[0] += x * r
            c[1] += x
        rates[field] = {l: (c[0] + PSEUDO * fr) / (c[1] + PSEUDO) for l, c in sorted(by_level.items())}
    return field_rates, rates


def lookup(table, field, level):
    field_rates, rates = table
    return min(max(rates.get(field, {}).get(level, field_rates.get(field, 0.5)), 0.02), 0.99)


def reliability(pairs):
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.0001)]
    lines = ["| confidence | fields | mean confidence | right |", "|---|---|---|---|"]
    for lo, hi in bins:
        inside = [(c, r) for c, r in pairs if lo <= c < hi]
        if not inside:
            lines.append(f"| {lo:.2f}–{min(hi, 1):.2f} | 0 | — | — |")
            continue
        lines.append(f"| {lo:.2f}–{min(hi, 1):.2f} | {len(inside)} | {sum(c for c, _ in inside) / len(inside):.2f} | "
                     f"{sum(1 for _, r in inside if r) / len(inside):.2f} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "debug", "dateline"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    scorer = holdout.load_scorer()
    records = []  # (part, case, field, level, right)
    for _, corpus in holdout.CORPORA:
        for name, part in holdout.cases(corpus):
            with open(os.path.join(corpus, name.rsplit(".", 1)[0] + ".json"), encoding="utf-8") as f:
                exp = json.load(f)
            got, levels = evidence_of(args.binary, os.path.join(corpus, name))
            scores = scorer.score_case(exp, got or {})
            for field, judges in holdout.JUDGED_BY.items():
                present = [scores[j] for j in judges if j in scores]
                if not present or field not in levels:
                    continue
                records.append((part, os.path.join(corpus, name), field, levels[field], all(v >= 1 for v in present)))
    field_rates, rates = fit(records)
    # Leave one held-out case out: its confidences from a table fitted without it.
    loo = []
    for case in sorted({c for p, c, *_ in records if p == "held"}):
        table = fit([r for r in records if r[1] != case])
        loo += [(round(lookup(table, f, l), 2), r) for p, c, f, l, r in records if c == case]
    lines = ["// Written by bench/import-confidence-fit.py from the handed corpora; do not edit by hand.",
             "",
             "/// How often a field with a given evidence level was right on the held-out part of the",
             "/// handed corpora (the development part a weak prior), smoothed towards the field's rate.",
             "enum ConfidenceTable {",
             "    static let fieldRates: [String: Double] = ["]
    lines += [f'        "{k}": {min(v, 0.99):.2f},' for k, v in field_rates.items()]
    lines += ["    ]", "    static let rates: [String: [String: Double]] = ["]
    for field, by_level in rates.items():
        cells = ", ".join(f'"{level}": {min(max(v, 0.02), 0.99):.2f}' for level, v in by_level.items())
        lines.append(f'        "{field}": [{cells}],')
    lines += ["    ]", "}", ""]
    text = "\n".join(lines)
    print("Reliability on the held-out part, each case's confidences from a table fitted without it\n")
    print(reliability(loo))
    if args.check:
        print(text)
        return 0
    with open(TABLE, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote", os.path.normpath(TABLE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
