#!/usr/bin/env python3
"""html2text.py SITE_DIR - print the visible text of every HTML page under SITE_DIR,
one page per line (whitespace collapsed), in a fixed order.  Pages are decoded by their
<meta charset> (gbk/gb2312 as GB18030), else UTF-8.  Standard library only; a benchmark
input tool, not part of govsite."""
import html.parser
import os
import re
import sys

META = re.compile(rb'charset\s*=\s*["\']?([A-Za-z0-9_-]+)', re.I)


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def decode(raw):
    m = META.search(raw[:2048])
    cs = m.group(1).decode("ascii").lower() if m else "utf-8"
    if cs in ("gbk", "gb2312", "x-gbk", "gb18030"):
        cs = "gb18030"
    try:
        return raw.decode(cs, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def main():
    root = sys.argv[1]
    out = sys.stdout
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith((".html", ".htm")):
                continue
            with open(os.path.join(d, f), "rb") as fh:
                raw = fh.read()
            p = Text()
            p.feed(decode(raw))
            text = " ".join("".join(p.parts).split())
            if text:
                out.write(text + "\n")


if __name__ == "__main__":
    main()
