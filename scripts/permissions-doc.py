#!/usr/bin/env python3
"""Rewrites the permission table in docs/security.md (between its markers) from
data/access/permissions.csv, the table the server compiles in. tests/http/test_permissions.py
fails when the two differ: run this after changing the CSV."""
import csv
import os
import re

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
with open(os.path.join(root, "data", "access", "permissions.csv"), encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
for r in rows[1:]:
    lines.append("| `" + r[0] + "` | " + " | ".join(r[1:]) + " |")
doc_path = os.path.join(root, "docs", "security.md")
doc = open(doc_path, encoding="utf-8").read()
new = re.sub(r"(<!-- permissions:begin -->\n).*?(<!-- permissions:end -->)",
             lambda m: m.group(1) + "\n".join(lines) + "\n" + m.group(2), doc, flags=re.S)
open(doc_path, "w", encoding="utf-8").write(new)
print(f"{len(rows) - 1} actions written to docs/security.md")
