// Written by bench/import-confidence-fit.py from the development part of the handed corpora; do not edit by hand.

/// How often a field with a given evidence level was right on the development part of the
/// handed corpora (smoothed towards the field's overall rate), by field and level.
enum ConfidenceTable {
    static let fieldRates: [String: Double] = [
        "body": 0.83,
        "boilerplate": 0.98,
        "contacts": 0.85,
        "date": 0.90,
        "dateline_city": 0.92,
        "embargo_until": 0.99,
        "headline": 0.88,
        "issuer": 0.85,
        "language": 0.98,
        "quotes": 0.90,
        "release_timing": 0.99,
        "statement_url": 0.96,
        "subheadline": 0.88,
    ]
    static let rates: [String: [String: Double]] = [
        "body": ["page-dateline-ended": 0.92, "page-nodateline": 0.64, "page-nodateline-ended": 0.92, "text-dateline": 0.86, "text-dateline-ended": 0.93, "text-nodateline": 0.85, "text-nodateline-ended": 0.92],
        "boilerplate": ["about": 0.99, "none": 0.98, "unheaded": 0.99],
        "contacts": ["complete": 0.98, "none": 0.89, "partial": 0.28],
        "date": ["dateline": 0.97, "furniture": 0.93, "header": 0.94, "none": 0.80, "pageMeta": 0.95, "signature": 0.95],
        "dateline_city": ["dateline": 0.86, "none": 0.96, "pageHeader": 0.96, "signature": 0.96],
        "embargo_until": ["sure": 0.99],
        "headline": ["beforeDateline": 0.81, "header": 0.91, "none": 0.75, "pageDeclared": 0.98],
        "issuer": ["agreed": 0.98, "none": 0.43, "single": 0.97, "strong": 0.95, "weak": 0.72],
        "language": ["declared": 0.99, "long": 0.99, "short": 0.87],
        "quotes": ["attributed": 0.92, "none": 0.95, "partial": 0.45],
        "release_timing": ["embargoed": 0.99, "immediate": 0.99, "unstated": 0.99],
        "statement_url": ["none": 0.96],
        "subheadline": ["page-found": 0.82, "page-none": 0.98, "text-found": 0.70, "text-none": 0.95],
    ]
}
