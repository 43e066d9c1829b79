"""check() and hint() show their feedback wherever they are called, once, in plain words."""

from __future__ import annotations

import unicodedata

import IPython.display
import pytest

from cs_helpers import exercises as ex
from cs_helpers.exercises import Exercise, Mistake, check, hint, model_answer, register


class _Shell:
    """Stands in for the notebook's IPython shell: one execution count per cell run."""

    execution_count = 1


@pytest.fixture
def shown(monkeypatch):
    monkeypatch.setattr(ex, "EXERCISES", dict(ex.EXERCISES))
    ex._expected.cache_clear()
    ex._mistake_value.cache_clear()
    monkeypatch.setattr(ex, "_HINTS_SHOWN", {})
    register(Exercise("f.1", "x", lambda: 0.05, hints=("Think.", "Closer."),
                      mistakes=(Mistake(lambda: 5.0, "that is a percent"),),
                      explanation="5 of 100."))
    shell = _Shell()
    monkeypatch.setattr(ex, "_ipython", lambda: shell)
    published: list[dict] = []
    monkeypatch.setattr(IPython.display, "publish_display_data",
                        lambda data, **kw: published.append(data))
    return shell, published


def test_feedback_is_shown_where_it_is_called_not_only_on_the_last_line(shown):
    shell, published = shown
    hint("f.1")                                    # mid-cell: shown
    fb = check("f.1", 5)                           # assigned: shown, and returned
    assert [d["text/plain"] for d in published] == [
        "[f.1] Hint 1 of 2: Think.", "[f.1] Not quite: that is a percent"]
    assert not fb and fb.status == "wrong"
    model_answer("f.1")
    assert len(published) == 3


def test_a_call_on_the_last_line_is_shown_once(shown):
    shell, published = shown
    fb = check("f.1", 0.05)
    fb._ipython_display_()                          # what the notebook does with a last line
    assert len(published) == 1
    shell.execution_count = 2                       # the next cell may show it again
    fb._ipython_display_()
    assert len(published) == 2


def test_without_a_notebook_nothing_is_printed(monkeypatch, capsys):
    monkeypatch.setattr(ex, "_ipython", lambda: None)
    register_id = "f.2"
    monkeypatch.setattr(ex, "EXERCISES", dict(ex.EXERCISES))
    register(Exercise(register_id, "x", lambda: 1.0))
    assert check(register_id, 1.0).correct
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("answer", [0.05, 5, 0.5, ..., "abc"])
def test_feedback_needs_no_emoji_font(shown, answer):
    """Plain words carry the meaning (Right, Not quite, Hint...): no pictographs, which show as
    empty boxes where no emoji font is installed."""
    _, published = shown
    check("f.1", answer)
    hint("f.1")
    for data in published:
        for text in data.values():
            symbols = {c for c in text if unicodedata.category(c) == "So" or ord(c) > 0xFFFF}
            assert symbols == set(), text
