#!/usr/bin/env python3
"""Reads an Atom document on standard input with feedparser, a real feed parser, and prints
what it found as JSON: whether it was well-formed (bozo) and each entry's fields.
Used by the Swift tests, which assert on the result."""
import json, sys
import feedparser

data = sys.stdin.buffer.read()
feed = feedparser.parse(data)
out = {
    "bozo": bool(feed.bozo),
    "bozo_exception": str(feed.get("bozo_exception", "")) if feed.bozo else None,
    "version": feed.version,
    "feed": {
        "id": feed.feed.get("id"),
        "title": feed.feed.get("title"),
        "updated": feed.feed.get("updated"),
        "links": [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in feed.feed.get("links", [])],
    },
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "link": e.get("link"),
            "updated": e.get("updated"),
            "published": e.get("published"),
            "author": e.get("author"),
            "content": (e.get("content") or [{}])[0].get("value"),
            "content_type": (e.get("content") or [{}])[0].get("type"),
            "language": (e.get("content") or [{}])[0].get("language"),
            "categories": [t.get("term") for t in e.get("tags", [])],
        }
        for e in feed.entries
    ],
}
json.dump(out, sys.stdout)
