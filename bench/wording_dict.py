#!/usr/bin/env python3
"""wording_dict.py TEXT N PERCENT DICT.tsv PATTERNS.txt - a deterministic N-entry
wording dictionary for the benchmark: PERCENT % of the wrong forms are CJK runs of 3-6
characters taken from TEXT (so they occur; the synthetic site repeats its boilerplate,
so they occur very often), the rest random CJK strings of 2-8 characters (so the
automaton is as large as a real dictionary's).  Writes the govsite TSV and the same wrong
forms one per line for grep -F -f.  Standard library only."""
import random
import re
import sys


def main():
    text_path, n, pct = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    dict_path, pat_path = sys.argv[4], sys.argv[5]
    rng = random.Random(1)
    with open(text_path, encoding="utf-8") as f:
        text = f.read(8 << 20)
    runs = re.findall(r"[\u4e00-\u9fff]{3,}", text)
    words = []
    seen = set()
    want_real = max(1, int(n * pct / 100))
    tries = 0
    while len(words) < want_real and runs and tries < 1000000:
        tries += 1
        r = rng.choice(runs)
        k = rng.randint(3, min(6, len(r)))
        i = rng.randint(0, len(r) - k)
        w = r[i:i + k]
        if w not in seen:
            seen.add(w)
            words.append(w)
    while len(words) < n:
        w = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 8)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    with open(dict_path, "w", encoding="utf-8") as f:
        f.write("wrong\tright\n")
        for w in words:
            right = ("对" if w[0] == "正" else "正") + w[1:]
            f.write(w + "\t" + right + "\n")
    with open(pat_path, "w", encoding="utf-8") as f:
        for w in words:
            f.write(w + "\n")


if __name__ == "__main__":
    main()
