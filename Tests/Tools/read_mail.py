#!/usr/bin/env python3
"""Reads the messages a test SMTP server stored with Python's standard MIME parser (email,
policy.default) and prints them as JSON, one object per message in file order:
envelope, headers (subject decoded from RFC 2047), plain and HTML parts, and whether the
Date header parses.

    read_mail.py DIR
"""
import email
import email.policy
import email.utils
import json
import os
import sys


def raw_subject(raw):
    """The Subject header as it travelled, folded lines joined (to check RFC 2047 encoding)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    lines, found = [], False
    for line in head.split("\r\n"):
        if line.lower().startswith("subject:"):
            found = True
            lines.append(line[len("subject:"):].strip())
        elif found and line[:1] in (" ", "\t"):
            lines.append(line.strip())
        elif found:
            break
    return " ".join(lines)


def read(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    try:
        date_ok = email.utils.parsedate_to_datetime(message["Date"]) is not None
    except (TypeError, ValueError):
        date_ok = False
    return {
        "file": os.path.basename(path),
        "envelopeTo": message["X-Envelope-To"] or "",
        "from": str(message["From"] or ""),
        "to": str(message["To"] or ""),
        "subject": str(message["Subject"] or ""),
        "rawSubject": raw_subject(raw),
        "isSevenBit": all(byte < 128 for byte in raw),
        "dateParses": date_ok,
        "messageID": str(message["Message-ID"] or ""),
        "listID": str(message["List-Id"] or ""),
        "listUnsubscribe": str(message["List-Unsubscribe"] or ""),
        "listUnsubscribePost": str(message["List-Unsubscribe-Post"] or ""),
        "contentType": message.get_content_type(),
        "text": plain.get_content() if plain is not None else "",
        "html": html.get_content() if html is not None else "",
        "defects": [str(defect) for defect in message.defects],
    }


def main():
    folder = sys.argv[1]
    names = sorted(name for name in os.listdir(folder) if name.endswith(".eml"))
    json.dump([read(os.path.join(folder, name)) for name in names], sys.stdout)


if __name__ == "__main__":
    main()
