#!/usr/bin/env python3
"""Refreshes the generated blocks of README.md from the committed results (never edit inside a block by hand).

Blocks are delimited by HTML comments:
  <!-- table: results/<Name>/table.md -->     ...  <!-- /table -->
      the table.md body from its first "## " section up to its "## Provenance" section, headings demoted one level
      (## -> ####); a "> **dirty**" warning above the first section is kept in front, and the Provenance section is
      replaced by its one-line summary and a link to the full list of commits and runs in table.md
Usage: python3 scripts/readme_tables.py [README.md]   (run from the repository root)
"""
import re
import sys

BLOCK = re.compile(r"(<!-- table: (\S+) -->\n)(.*?)(<!-- /table -->)", re.S)


PROVENANCE = "\n## Provenance\n"


def table_body(path):
    text = open(path, encoding="utf-8").read()
    start = text.find("\n## ")
    if start < 0:
        raise SystemExit(f"{path}: expected a '## <dataset>' section, found none")
    banner = "".join(line + "\n\n" for line in text[:start].splitlines() if line.startswith("> **dirty**"))
    body = text[start + 1:]
    summary = ""
    cut = body.find(PROVENANCE[1:]) if body.startswith(PROVENANCE[1:]) else body.find(PROVENANCE)
    if cut >= 0:
        section = body[cut:].strip().split("\n\n")
        if len(section) < 2:
            raise SystemExit(f"{path}: expected a summary line under '## Provenance', found none")
        body = body[:cut]
        summary = f"\nProvenance: {section[1].strip()} Commits and run ids: [`{path}`]({path}#provenance).\n"
    return banner + re.sub(r"^## ", "#### ", body, flags=re.M).rstrip() + "\n" + summary


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
