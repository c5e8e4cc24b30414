#!/usr/bin/env python3
"""Refreshes the generated blocks of README.md from the committed results (never edit inside a block by hand).

Blocks are delimited by HTML comments:
  <!-- table: results/<Name>/table.md -->     ...  <!-- /table -->
      the table.md body from its first "## " section on, headings demoted one level (## -> ####)
Usage: python3 scripts/readme_tables.py [README.md]   (run from the repository root)
"""
import re
import sys

BLOCK = re.compile(r"(<!-- table: (\S+) -->\n)(.*?)(<!-- /table -->)", re.S)


def table_body(path):
    text = open(path, encoding="utf-8").read()
    start = text.find("\n## ")
    if start < 0:
        raise SystemExit(f"{path}: expected a '## <dataset>' section, found none")
    body = text[start + 1:]
    return re.sub(r"^## ", "#### ", body, flags=re.M).rstrip() + "\n"


def main(readme="README.md"):
    text = open(readme, encoding="utf-8").read()
    count = 0

    def fill(mt):
        nonlocal count
        count += 1
        return mt.group(1) + table_body(mt.group(2)) + mt.group(4)

    new = BLOCK.sub(fill, text)
    if count == 0:
        raise SystemExit(f"{readme}: no generated blocks found")
    open(readme, "w", encoding="utf-8").write(new)
    print(f"{readme}: refreshed {count} block(s)")


if __name__ == "__main__":
    main(*sys.argv[1:])
