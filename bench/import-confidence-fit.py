#!/usr/bin/env python3
"""Fits the importer's confidence table on the development part of the handed corpora.

    bench/import-confidence-fit.py [--binary .build/debug/dateline] [--check]

Runs `import --json --evidence` over every development case (bench/import-holdout.py's split:
every fourth case held out), scores each field with score-import's own scoring, and for every
field and evidence level (ExtractionTrace) counts how often the field was right. The rate,
smoothed towards the field's rate over all levels (two pseudo-cases), is written to
Sources/ReleaseImport/ConfidenceTable.swift. Held-out cases are never read here; their
reliability is what `bench/import-holdout.py --reliability` reports. With --check, prints the
table it would write and leaves the file alone.
Standard library only.
"""
import argparse, importlib.machinery, importlib.util, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("holdout", os.path.join(HERE, "import-holdout.py"))
spec = importlib.util.spec_from_loader("holdout", loader)
holdout = importlib.util.module_from_spec(spec)
loader.exec_module(holdout)

TABLE = os.path.join(HERE, "..", "Sources", "ReleaseImport", "ConfidenceTable.swift")
PSEUDO = 2.0


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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "debug", "dateline"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    scorer = holdout.load_scorer()
    counts = {}  # field -> level -> [right, n]
    for _, corpus in holdout.CORPORA:
        for name, part in holdout.cases(corpus):
            if part != "dev":
                continue
            with open(os.path.join(corpus, name.rsplit(".", 1)[0] + ".json"), encoding="utf-8") as f:
                exp = json.load(f)
            got, levels = evidence_of(args.binary, os.path.join(corpus, name))
            scores = scorer.score_case(exp, got or {})
            for field, judges in holdout.JUDGED_BY.items():
                present = [scores[j] for j in judges if j in scores]
                if not present or field not in levels:
                    continue
                right = all(v >= 1 for v in present)
                cell = counts.setdefault(field, {}).setdefault(levels[field], [0, 0])
                cell[0] += int(right)
                cell[1] += 1
    field_rates, rates = {}, {}
    for field, by_level in sorted(counts.items()):
        right = sum(c[0] for c in by_level.values())
        n = sum(c[1] for c in by_level.values())
        field_rate = right / n
        field_rates[field] = field_rate
        rates[field] = {level: (c[0] + PSEUDO * field_rate) / (c[1] + PSEUDO) for level, c in sorted(by_level.items())}
    lines = ["// Written by bench/import-confidence-fit.py from the development part of the handed corpora; do not edit by hand.",
             "",
             "/// How often a field with a given evidence level was right on the development part of the",
             "/// handed corpora (smoothed towards the field's overall rate), by field and level.",
             "enum ConfidenceTable {",
             "    static let fieldRates: [String: Double] = ["]
    lines += [f'        "{k}": {min(v, 0.99):.2f},' for k, v in field_rates.items()]
    lines += ["    ]", "    static let rates: [String: [String: Double]] = ["]
    for field, by_level in rates.items():
        cells = ", ".join(f'"{level}": {min(max(v, 0.02), 0.99):.2f}' for level, v in by_level.items())
        lines.append(f'        "{field}": [{cells}],')
    lines += ["    ]", "}", ""]
    text = "\n".join(lines)
    if args.check:
        print(text)
        for field, by_level in sorted(counts.items()):
            print(field, {k: f"{v[0]}/{v[1]}" for k, v in by_level.items()})
        return 0
    with open(TABLE, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote", os.path.normpath(TABLE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
