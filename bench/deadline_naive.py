#!/usr/bin/env python3
"""deadline_naive.py - the baseline for bench/deadline.sh: disclosure deadlines the way an
office script would compute them, stepping day by day over the same holiday table.

    python3 bench/deadline_naive.py DAYS < received.txt > due.txt

Reads 'YYYY-MM-DD HH:MM' lines (China time), writes 'YYYY-MM-DDT23:59:59+08:00' lines:
the DAYS-th working day after the receipt day.  Standard library only.
"""
import datetime
import sys

TABLE = "data/holidays/cn.tsv"


def main():
    days = int(sys.argv[1])
    kind = {}
    with open(TABLE, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            d, k = line.split("\t")[:2]
            kind[datetime.date.fromisoformat(d)] = k

    def working(d):
        k = kind.get(d)
        if k:
            return k == "work"
        return d.weekday() < 5

    out = []
    one = datetime.timedelta(days=1)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        d = datetime.date.fromisoformat(line[:10])
        left = days
        while left:
            d += one
            if working(d):
                left -= 1
        out.append(d.isoformat() + "T23:59:59+08:00")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
