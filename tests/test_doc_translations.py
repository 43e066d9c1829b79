"""The Japanese guides stay in step with the English ones they were translated from.

Each translated document (``docs/ja/*.md``, ``README.ja.md`` is checked by
``tests/test_translations.py``) starts with a header naming its English source and a short
hash of the English text it was translated from::

    <!-- translated from docs/facilitator_guide.md sha256:0123456789ab -->

When the English changes, the hash no longer matches and this test fails until someone updates
the translation and the header (the failure message gives the new header to paste).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from _japanese import japanese_share as shared_share
from _japanese import prose

ROOT = Path(__file__).resolve().parents[1]
HEADER = re.compile(r"^<!-- translated from (?P<source>\S+) sha256:(?P<digest>[0-9a-f]{12}) -->\n")
JA_DOCS = sorted((ROOT / "docs" / "ja").glob("*.md"))


def short_hash(path: Path) -> str:
    """The first 12 hex digits of the SHA-256 of a file's text (line endings normalised)."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def japanese_share(markdown: str) -> float:
    """Share of Japanese characters among the letters of the prose (code and links removed)."""
    return shared_share(prose(markdown))


@pytest.mark.parametrize("doc", JA_DOCS, ids=lambda p: p.name)
def test_a_japanese_guide_names_its_source_and_is_not_stale(doc: Path):
    text = doc.read_text(encoding="utf-8")
    m = HEADER.match(text)
    assert m, f"{doc.relative_to(ROOT)}: first line must be '<!-- translated from docs/<name>.md sha256:<12 hex> -->'"
    source = ROOT / m["source"]
    assert source.is_file(), f"{doc.relative_to(ROOT)}: source {m['source']} does not exist"
    now = short_hash(source)
    assert m["digest"] == now, (
        f"{doc.relative_to(ROOT)} is stale: {m['source']} changed since it was translated. "
        f"Update the translation (see `git log -p {m['source']}`), then set its first line to "
        f"'<!-- translated from {m['source']} sha256:{now} -->'.")


@pytest.mark.parametrize("doc", JA_DOCS, ids=lambda p: p.name)
def test_a_japanese_guide_is_written_in_japanese(doc: Path):
    text = doc.read_text(encoding="utf-8")
    share = japanese_share(text)
    assert share > 0.5, f"{doc.relative_to(ROOT)}: only {share:.0%} of its prose letters are Japanese"
    # no untranslated paragraph: every prose paragraph of some length carries Japanese
    for para in re.split(r"\n\s*\n", prose(text)):
        if sum(ch.isalpha() for ch in para) >= 60 and not para.lstrip().startswith("|"):
            assert shared_share(para) > 0.2, (
                f"{doc.relative_to(ROOT)}: a paragraph reads as untranslated: {para[:120]!r}")


def test_the_staleness_check_catches_a_changed_english_guide(tmp_path: Path):
    english = tmp_path / "guide.md"
    english.write_text("# Guide\n\nOne sentence.\n", encoding="utf-8")
    before = short_hash(english)
    english.write_text("# Guide\n\nOne sentence, changed.\n", encoding="utf-8")
    changed = short_hash(english)
    assert changed != before
    english.write_bytes(b"# Guide\r\n\r\nOne sentence, changed.\r\n")
    assert short_hash(english) == changed          # line endings alone do not count as a change


def test_japanese_share_tells_japanese_from_english():
    assert japanese_share("カスタマーサクセスの指標を学びます。`churn_rate` を使います。") > 0.9
    assert japanese_share("This paragraph was left in English by mistake.") == 0.0
