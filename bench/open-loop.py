#!/usr/bin/env python3
"""Open-loop load: sends the requests of a query file at a fixed rate, whether or not earlier
answers have come back, and reports latency from each request's scheduled time to the end of
its answer (so a slow answer delays nothing and hides nothing: no coordinated omission).

  bench/open-loop.py --base http://127.0.0.1:8080 --path /search --rate 20 --seconds 60 queries.tsv

The query file has "kind<TAB>query string" lines (bench/search-queries.py); they are sent in
turn, over again if the run outlasts them. Each request has its own connection. Prints p50, p95,
p99 and the maximum in milliseconds, overall and for each kind, and the count of non-200 answers.
"""
import argparse
import asyncio
import collections
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("queries")
parser.add_argument("--base", required=True)
parser.add_argument("--path", default="/search")
parser.add_argument("--rate", type=float, default=20)
parser.add_argument("--seconds", type=float, default=60)
args = parser.parse_args()

base = urllib.parse.urlsplit(args.base)
queries = [line.rstrip("\n").split("\t", 1) for line in open(args.queries) if "\t" in line]
latencies = collections.defaultdict(list)
failures = collections.Counter()


async def one(kind, query, scheduled):
    try:
        reader, writer = await asyncio.open_connection(base.hostname, base.port)
        writer.write(f"GET {args.path}?{query} HTTP/1.1\r\nHost: {base.netloc}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        answer = await reader.read()
        writer.close()
        status = answer[9:12].decode(errors="replace")
        if status != "200":
            failures[status] += 1
    except OSError as error:
        failures[type(error).__name__] += 1
        return
    elapsed = (time.monotonic() - scheduled) * 1000
    latencies[kind.split("+")[0]].append(elapsed)
    latencies["all"].append(elapsed)


async def main():
    start = time.monotonic() + 0.2
    total = int(args.rate * args.seconds)
    tasks = []
    for i in range(total):
        scheduled = start + i / args.rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        kind, query = queries[i % len(queries)]
        tasks.append(asyncio.create_task(one(kind, query, scheduled)))
    await asyncio.gather(*tasks)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


asyncio.run(main())
print(f"rate {args.rate}/s for {args.seconds} s, {len(queries)} distinct queries, non-200 or failed: {sum(failures.values())} {dict(failures)}")
print(f"{'kind':16} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
for kind in ["all"] + sorted(k for k in latencies if k != "all"):
    values = latencies[kind]
    print(f"{kind:16} {len(values):6d} {percentile(values, 50):8.1f} {percentile(values, 95):8.1f} {percentile(values, 99):8.1f} {max(values):8.1f}")
