// Written by bench/import-confidence-fit.py from the handed corpora; do not edit by hand.

/// How often a field with a given evidence level was right on the held-out part of the
/// handed corpora (the development part a weak prior), smoothed towards the field's rate.
enum ConfidenceTable {
    static let fieldRates: [String: Double] = [
        "body": 0.80,
        "boilerplate": 0.95,
        "contacts": 0.90,
        "date": 0.94,
        "dateline_city": 0.97,
        "embargo_until": 0.92,
        "headline": 0.87,
        "issuer": 0.90,
        "language": 0.99,
        "quotes": 0.90,
        "release_timing": 0.95,
        "statement_url": 0.95,
        "subheadline": 0.88,
    ]
    static let rates: [String: [String: Double]] = [
        "body": ["page-dateline": 0.84, "page-dateline-ended": 0.82, "page-nodateline": 0.65, "page-nodateline-ended": 0.67, "text-dateline": 0.91, "text-dateline-ended": 0.86, "text-nodateline": 0.71, "text-nodateline-ended": 0.82],
        "boilerplate": ["about": 0.97, "none": 0.95, "unheaded": 0.98],
        "contacts": ["complete": 0.96, "none": 0.92, "partial": 0.77],
        "date": ["dateline": 0.97, "furniture": 0.96, "header": 0.97, "none": 0.84, "pageMeta": 0.96, "signature": 0.94, "sourceLine": 0.95],
        "dateline_city": ["dateline": 0.97, "none": 0.99, "pageHeader": 0.98, "signature": 0.98],
        "embargo_until": ["sure": 0.93],
        "headline": ["beforeDateline": 0.81, "header": 0.94, "none": 0.76, "pageDeclared": 0.95],
        "issuer": ["agreed": 0.96, "none": 0.69, "single": 0.95, "strong": 0.95, "weak": 0.83],
        "language": ["declared": 0.99, "long": 0.99, "short": 0.99],
        "quotes": ["attributed": 0.97, "none": 0.84, "partial": 0.86],
        "release_timing": ["embargoed": 0.96, "immediate": 0.97, "unstated": 0.96],
        "statement_url": ["line": 0.96, "none": 0.94, "other": 0.96],
        "subheadline": ["page-found": 0.81, "page-none": 0.93, "text-found": 0.83, "text-none": 0.90],
    ]
}
