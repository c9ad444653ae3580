// Written by bench/import-confidence-fit.py from the handed corpora; do not edit by hand.

/// How often a field with a given evidence level was right on the development part of the
/// handed corpora (smoothed towards the field's overall rate), by field and level.
enum ConfidenceTable {
    static let fieldRates: [String: Double] = [
        "body": 0.90,
        "boilerplate": 0.98,
        "contacts": 0.92,
        "date": 0.96,
        "dateline_city": 0.96,
        "embargo_until": 0.99,
        "headline": 0.94,
        "issuer": 0.88,
        "language": 0.99,
        "quotes": 0.94,
        "release_timing": 0.99,
        "statement_url": 0.96,
        "subheadline": 0.98,
    ]
    static let rates: [String: [String: Double]] = [
        "body": ["page-dateline-ended": 0.93, "page-nodateline": 0.83, "page-nodateline-ended": 0.93, "text-dateline": 0.87, "text-dateline-ended": 0.94, "text-nodateline": 0.92, "text-nodateline-ended": 0.93],
        "boilerplate": ["about": 0.99, "none": 0.98, "unheaded": 0.99],
        "contacts": ["complete": 0.98, "none": 0.87],
        "date": ["dateline": 0.98, "furniture": 0.97, "header": 0.95, "none": 0.94, "pageMeta": 0.97, "signature": 0.97],
        "dateline_city": ["dateline": 0.91, "none": 0.99, "pageHeader": 0.98, "signature": 0.97],
        "embargo_until": ["sure": 0.99],
        "headline": ["beforeDateline": 0.93, "header": 0.98, "none": 0.80, "pageDeclared": 0.99],
        "issuer": ["agreed": 0.96, "none": 0.70, "single": 0.92, "strong": 0.95, "weak": 0.76],
        "language": ["declared": 0.99, "long": 0.99, "short": 0.99],
        "quotes": ["attributed": 0.96, "none": 0.95, "partial": 0.75],
        "release_timing": ["embargoed": 0.99, "immediate": 0.99, "unstated": 0.99],
        "statement_url": ["none": 0.96],
        "subheadline": ["page-found": 0.99, "page-none": 0.99, "text-found": 0.99, "text-none": 0.96],
    ]
    /// Logistic recalibration fitted on the held-out part: p' = 1 / (1 + exp(-(a * logit(p) + b))).
    static let recalibration = (a: 0.7210, b: -0.1526)
}
