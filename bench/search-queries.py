#!/usr/bin/env python3
"""Writes the search benchmark's query mix: one request per line, "kind<TAB>query string".

The words come from the release texts `dateline bench-data` draws its bodies from (Samples/ and
any folders given), ranked by how many texts use them, so the mix has common, middling and rare
words; then two-word queries, quoted phrases taken from the texts, excluded words and OR, each
with and without a facet filter (language, year, organization), sorted by date and by relevance.
Seeded, so two runs ask the same queries.

  bench/search-queries.py [--organizations slug,slug] [FOLDER ...] > queries.tsv
"""
import argparse
import collections
import pathlib
import random
import re
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("folders", nargs="*", default=[])
parser.add_argument("--organizations", default="", help="organization slugs for the facet filter, comma-separated")
parser.add_argument("--count", type=int, default=240)
args = parser.parse_args()

root = pathlib.Path(__file__).resolve().parents[1]
texts = []
for folder in [root / "Samples", *map(pathlib.Path, args.folders)]:
    for path in sorted(folder.glob("*.txt")):
        texts.append(path.read_text(errors="replace"))
words_of = [re.findall(r"[^\W\d_]{4,}", text.lower()) for text in texts]
document_frequency = collections.Counter(word for words in words_of for word in set(words))
ranked = [word for word, _ in document_frequency.most_common()]
third = max(1, len(ranked) // 3)
bands = {"common": ranked[:min(60, third)], "middling": ranked[third:2 * third], "rare": ranked[2 * third:]}

rng = random.Random(15)
organizations = [slug for slug in args.organizations.split(",") if slug]
languages = ["en", "fr", "de", "ar"]
years = [str(year) for year in range(2008, 2027)]


def phrase():
    words = rng.choice([w for w in words_of if len(w) > 3])
    start = rng.randrange(len(words) - 2)
    return '"' + " ".join(words[start:start + rng.choice([2, 3])]) + '"'


makers = {
    "word-common": lambda: rng.choice(bands["common"]),
    "word-middling": lambda: rng.choice(bands["middling"]),
    "word-rare": lambda: rng.choice(bands["rare"]),
    "two-words": lambda: rng.choice(bands["common"] + bands["middling"]) + " " + rng.choice(bands["middling"]),
    "phrase": phrase,
    "exclusion": lambda: rng.choice(bands["common"]) + " -" + rng.choice(bands["common"]),
    "or": lambda: rng.choice(bands["middling"]) + " OR " + rng.choice(bands["middling"]),
}
seen = set()
lines = []
kinds = list(makers)
while len(lines) < args.count:
    kind = kinds[len(lines) % len(kinds)]
    parameters = {"q": makers[kind]()}
    sort = rng.choice(["newest", "relevance"])
    parameters["sort"] = sort
    facet = rng.choice([None, "language", "year", "organization"] if organizations else [None, "language", "year"])
    if facet == "language":
        parameters["language"] = rng.choice(languages)
    elif facet == "year":
        parameters["year"] = rng.choice(years)
    elif facet == "organization":
        parameters["organization"] = rng.choice(organizations)
    query = urllib.parse.urlencode(parameters)
    if query in seen:
        continue
    seen.add(query)
    lines.append(f"{kind}{'+' + facet if facet else ''}+{sort}\t{query}")
print("\n".join(lines))
