#!/usr/bin/env python3
"""Reads a feed (Atom, RSS 2.0 or JSON Feed) on standard input with a real feed parser and
prints what it found as JSON: whether it was well-formed (bozo), the feed's version and each
entry's fields. Used by the Swift tests, which assert on the result.

Atom and RSS go through feedparser. feedparser's current release (6.0.x) has no JSON Feed
support, so JSON Feed goes through feedparser-rs, which offers feedparser's API and results."""
import json, sys

data = sys.stdin.buffer.read()
content_type = sys.argv[1] if len(sys.argv) > 1 else ""
if "json" in content_type:
    import feedparser_rs as parser
    feed = parser.parse(data)
else:
    import feedparser as parser
    feed = parser.parse(data)


def field(obj, name, default=None):
    try:
        value = obj.get(name, default)
    except AttributeError:
        value = getattr(obj, name, default)
    return default if value is None else value


def first_content(entry):
    content = field(entry, "content", [])
    if not content:
        return {}
    c = content[0]
    return {"value": field(c, "value"), "type": field(c, "type"), "language": field(c, "language")}


out = {
    "bozo": bool(field(feed, "bozo", False)),
    "bozo_exception": str(field(feed, "bozo_exception", "")) if field(feed, "bozo", False) else None,
    "version": field(feed, "version", ""),
    "feed": {
        "id": field(feed.feed, "id"),
        "title": field(feed.feed, "title"),
        "updated": field(feed.feed, "updated"),
        "links": [{"rel": field(l, "rel"), "href": field(l, "href"), "type": field(l, "type")} for l in field(feed.feed, "links", [])],
        "language": field(feed.feed, "language"),
    },
    "entries": [
        {
            "id": field(e, "id"),
            "title": field(e, "title"),
            "link": field(e, "link"),
            "updated": field(e, "updated"),
            "published": field(e, "published"),
            "author": field(e, "author"),
            "content": first_content(e).get("value"),
            "content_type": first_content(e).get("type"),
            "language": first_content(e).get("language"),
            "categories": [field(t, "term") for t in field(e, "tags", [])],
            "summary": field(e, "summary"),
        }
        for e in field(feed, "entries", [])
    ],
}
json.dump(out, sys.stdout, default=str)
