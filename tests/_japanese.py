"""What the translation tests count as Japanese prose (shared by test_translations and
test_doc_translations)."""

from __future__ import annotations

import re

_JA_CHAR = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_UNIT_START = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|\|)")


def prose(markdown: str) -> str:
    """The prose of a markdown cell: without code, link targets, HTML tags, math and URLs."""
    text = re.sub(r"^(```|~~~).*?^\1[^\n]*$", " ", markdown, flags=re.S | re.M)
    text = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.S)
    return re.sub(r"https?://\S+", " ", text)


def japanese_share(text: str) -> float:
    """Share of Japanese characters among the letters of a text (1.0 when it has none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum(bool(_JA_CHAR.match(c)) for c in letters) / len(letters)


def english_units(markdown: str) -> list[str]:
    """Paragraphs, list items, headings and table rows of the prose that have three or more
    Latin-letter words and no Japanese at all (a term such as NPS or B2B SaaS alone is fine)."""
    units: list[str] = []
    for para in re.split(r"\n\s*\n", prose(markdown)):
        current: list[str] = []
        for line in para.split("\n"):
            if _UNIT_START.match(line) and current:
                units.append("\n".join(current))
                current = []
            current.append(line)
        if current:
            units.append("\n".join(current))
    return [u.strip() for u in units
            if len(re.findall(r"[A-Za-z]{2,}", u)) >= 3 and not _JA_CHAR.search(u)]
