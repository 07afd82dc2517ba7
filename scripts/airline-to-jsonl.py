#!/usr/bin/env python3
"""Turn the shared airline tweets (CC BY-NC-SA: evaluation only, never copied into the repo) into
N native mentions for the classification benchmark, cycling through the texts.
usage: airline-to-jsonl.py TWEETS.csv N OUT.jsonl"""
import csv
import json
import sys

rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]
n = int(sys.argv[2])
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for i in range(n):
        r = rows[i % len(rows)]
        out.write(json.dumps({
            "platform": "x", "id": str(i), "author": {"handle": r["name"] or "someone", "followers": 100},
            "created_at": "2015-02-24T11:35:52Z", "text": r["text"], "lang": "en",
        }, ensure_ascii=False, separators=(",", ":")) + "\n")
