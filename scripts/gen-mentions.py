#!/usr/bin/env python3
"""Generate N realistic-looking native mentions as JSON Lines (and optionally the same rows as CSV).

Deterministic for a given N, so benchmark runs compare like with like.
usage: gen-mentions.py N OUT.jsonl [OUT.csv]
"""
import csv
import json
import math
import random
import sys
import time
from statistics import NormalDist

WORDS_NL = "mijn trein is weer te laat en niemand bij de balie weet iets waarom duurt het zo lang dank jullie wel voor de snelle hulp vandaag".split()
WORDS_EN = "my train is late again and nobody at the desk knows anything why does it take so long thanks for the quick help today".split()
PLATFORMS = ["bluesky", "mastodon", "x"]


NORMAL = NormalDist()


def followers(handle):
    """Heavy-tailed, as on real platforms (Kwak et al., WWW 2010, 41.7 M Twitter profiles: skewed,
    with a long tail, not a power law): log-normal with a median of 300 and sigma 1.9, so about a
    quarter of the authors pass 1,000 and 3 % pass 10,000 (the default high-reach threshold).
    Fixed per author; see docs/benchmarks.md."""
    u = random.Random(int(handle[4:]) * 2654435761 % 2**32).random()
    return min(int(300 * math.exp(1.9 * NORMAL.inv_cdf(u))), 5_000_000)


def main():
    n = int(sys.argv[1])
    rnd = random.Random(42)
    base = 1_790_000_000
    out = open(sys.argv[2], "w", encoding="utf-8")
    writer = None
    if len(sys.argv) > 3:
        writer = csv.writer(open(sys.argv[3], "w", encoding="utf-8", newline=""))
    for i in range(n):
        lang = "nl" if i % 3 else "en"
        words = WORDS_NL if lang == "nl" else WORDS_EN
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(6, 30)))
        if i % 50 == 0:
            text += " 😡"
        platform = PLATFORMS[i % 3]
        handle = f"user{rnd.randint(0, 200_000)}"
        seconds = base + i * 3
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
        record = {
            "platform": platform,
            "id": str(10_000_000 + i),
            "url": f"https://example.social/{handle}/{10_000_000 + i}",
            # An author's follower count is the same across the file, as it is within hours on a platform.
            "author": {"handle": handle, "name": f"User {handle[4:]}", "followers": followers(handle)},
            "created_at": created,
            "text": text,
            "lang": lang,
        }
        if i % 7 == 0:
            record["in_reply_to"] = str(10_000_000 + i - 1)
            record["thread"] = f"t{i // 7}"
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        out.write(line + "\n")
        if writer:
            a = record["author"]
            # The queue columns as ingest fills them for about half the rows (those with a target):
            # status, earliest reply and active target in epoch ms, so the baseline keeps the same
            # indexes over a similar spread of keys.
            ms = seconds * 1000
            earliest, due = (ms + 600_000, ms + 3_600_000) if i % 2 == 0 else ("", "")
            writer.writerow([platform, record["id"], record["url"], a["handle"], a["name"], a["followers"],
                             created, text, lang, record.get("in_reply_to", ""), record.get("thread", ""), 0, line,
                             "open", earliest, due])


main()
