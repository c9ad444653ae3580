#!/usr/bin/env python3
"""Validators the Swift tests call on what Dateline emits, each a real parser:

  check_formats.py jsonschema SCHEMA.json   < document.json   -> {"valid": bool, "errors": [...]}
  check_formats.py jsonld                   < page.html       -> [every JSON-LD object in the page]

Prints JSON; exits 0 when it could run the check (the result says whether it passed)."""
import json, sys
from html.parser import HTMLParser


def validate(schema_path):
    import jsonschema
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    document = json.load(sys.stdin)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    return {"valid": not errors, "errors": errors}


class JSONLDExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.chunks = []
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.inside, self.chunks = True, []

    def handle_data(self, data):
        if self.inside:
            self.chunks.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.inside:
            self.inside = False
            self.found.append(json.loads("".join(self.chunks)))


def jsonld():
    parser = JSONLDExtractor()
    parser.feed(sys.stdin.read())
    return parser.found


if __name__ == "__main__":
    command = sys.argv[1]
    result = validate(sys.argv[2]) if command == "jsonschema" else jsonld()
    json.dump(result, sys.stdout)
