"""The language of messages, feedback and figure labels: English (default) or Japanese.

The course ships in two editions. The library's own words (every :class:`~cs_helpers.DataError`
and :class:`~cs_helpers.DataWarning`, the exercise feedback, the labels of its figures) follow
one setting:

* :func:`set_language` (``cs.set_language("ja")``; contract name), or
* the environment variable ``CS_HELPERS_LANG`` (``ja`` or ``en``), read when nothing was set.

English is the fallback for anything not translated.

Examples
--------
>>> import cs_helpers as cs
>>> cs.set_language("ja")
>>> cs.get_language()
'ja'
>>> cs.set_language("en")
>>> cs.get_language()
'en'
"""

from __future__ import annotations

import os

__all__ = ["LANGUAGES", "set_language", "get_language", "ENV_VAR"]

#: The languages the course is written in; the first is the fallback.
LANGUAGES: tuple[str, ...] = ("en", "ja")

#: The environment variable read when :func:`set_language` has not been called.
ENV_VAR = "CS_HELPERS_LANG"

_chosen: str | None = None


def _normalise(language: str, source: str) -> str:
    code = str(language).strip().lower().replace("_", "-")
    code = {"japanese": "ja", "日本語": "ja", "english": "en"}.get(code, code)
    code = code.split("-")[0].split(".")[0]         # ja-JP, ja_JP.UTF-8 -> ja
    if code not in LANGUAGES:
        raise ValueError(
            f"{source}: unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    return code


def set_language(language: str | None) -> None:
    """Choose the language of messages, feedback and figure labels.

    Parameters
    ----------
    language : {"en", "ja"} or None
        ``"ja"`` for Japanese, ``"en"`` for English; regional forms such as ``"ja_JP"`` are
        accepted. ``None`` forgets the choice, so ``CS_HELPERS_LANG`` (or English) applies again.

    Examples
    --------
    >>> import cs_helpers as cs
    >>> cs.set_language("ja_JP")
    >>> cs.get_language()
    'ja'
    >>> cs.set_language(None)
    """
    global _chosen
    _chosen = None if language is None else _normalise(language, "set_language")


def get_language() -> str:
    """The language in effect: the one set by :func:`set_language`, else ``CS_HELPERS_LANG``,
    else English.

    Examples
    --------
    >>> import cs_helpers as cs
    >>> cs.set_language("en")
    >>> cs.get_language()
    'en'
    """
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return _normalise(env, ENV_VAR)
    return LANGUAGES[0]
