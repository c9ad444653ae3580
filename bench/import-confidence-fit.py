#!/usr/bin/env python3
"""Fits the importer's confidence table on the development part of the handed corpora.

    bench/import-confidence-fit.py [--binary .build/debug/dateline] [--check]

Runs `import --json --evidence` over every case (bench/import-holdout.py's split: every fourth
case held out) and scores each field with score-import's own scoring. On the development part,
for every field and evidence level (ExtractionTrace), it counts how often the field was right;
the rate, smoothed towards the field's rate over all levels (four pseudo-cases), is the table.
The importer was developed on that part, so its rates there are optimistic: two numbers, a
logistic recalibration p' = 1 / (1 + exp(-(a * logit(p) + b))) fitted on the held-out part
(Platt scaling, the only use of the held-out part here), bring them to how often fields are
right on releases the rules were not written for. Both go to
Sources/ReleaseImport/ConfidenceTable.swift; `bench/import-holdout.py --reliability` prints the
reliability table. With --check, prints what it would write and leaves the file alone.
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


def platt(pairs):
    """a, b minimising the log-loss of sigmoid(a * logit(p) + b) over (p, right) pairs (Newton's method)."""
    import math
    xs = [math.log(p / (1 - p)) for p, _ in pairs]
    ys = [1.0 if r else 0.0 for _, r in pairs]
    a, b = 1.0, 0.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys):
            q = 1 / (1 + math.exp(-(a * x + b)))
            ga += (q - y) * x
            gb += q - y
            w = q * (1 - q)
            haa += w * x * x
            hab += w * x
            hbb += w
        haa += 1e-6
        hbb += 1e-6
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) < 1e-9 and abs(db) < 1e-9:
            break
    return a, b


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "debug", "dateline"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    scorer = holdout.load_scorer()
    counts = {}  # field -> level -> [right, n]
    held = []  # (field, level, right) on the held-out part
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
                right = all(v >= 1 for v in present)
                if part == "held":
                    held.append((field, levels[field], right))
                    continue
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
    def table_p(field, level):
        v = rates.get(field, {}).get(level, field_rates.get(field, 0.5))
        return min(max(v, 0.02), 0.99)
    a, b = platt([(table_p(f, l), r) for f, l, r in held])
    lines = ["// Written by bench/import-confidence-fit.py from the handed corpora; do not edit by hand.",
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
    lines += ["    ]",
              "    /// Logistic recalibration fitted on the held-out part: p' = 1 / (1 + exp(-(a * logit(p) + b))).",
              f"    static let recalibration = (a: {a:.4f}, b: {b:.4f})",
              "}", ""]
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
