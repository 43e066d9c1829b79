"""The language of messages, feedback and figure labels: English (default) or Japanese.

The course ships in two editions. The library's own words (every :class:`~cs_helpers.DataError`
and :class:`~cs_helpers.DataWarning`, the exercise feedback, the labels of its figures) follow
one setting:

* :func:`set_language` (``cs.set_language("ja")``; contract name), or
* the environment variable ``CS_HELPERS_LANG`` (``ja`` or ``en``), read when nothing was set.

English is the fallback for anything not translated.

Tables follow it too: in IPython, choosing Japanese installs a display hook
(:mod:`cs_helpers.labels`, through :func:`on_language_change`) that shows the labels of DataFrames
and Series (column names, index labels, categories) as the Japanese over the English name the code
uses; the code, the data and ``text/plain`` output stay the same.

Messages are translated when a :class:`~cs_helpers.DataError` or
:class:`~cs_helpers.DataWarning` is made (:func:`translate_message`): the library keeps
writing its messages in English, and the catalog ``cs_helpers/messages_ja.py`` pairs each
English shape with its Japanese, values (column names, numbers, ids) copied verbatim. The
English stays on the exception as ``.english``. To change a message, change the English in
the code and its entry in the catalog: ``tests/test_i18n_messages.py`` fails on a message
with no translation and on a translation whose English is no longer in the code.

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
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["LANGUAGES", "set_language", "get_language", "on_language_change", "ENV_VAR",
           "translate_message",
           "message_catalog", "find_template", "MessageTemplate"]

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
    for listener in list(_listeners):
        listener(get_language())


_listeners: list[Callable[[str], None]] = []


def on_language_change(listener: Callable[[str], None]) -> Callable[[str], None]:
    """Call ``listener(language)`` after every :func:`set_language` (for settings that cannot
    be looked up when text is drawn, such as matplotlib's title weight). Returns ``listener``,
    so it can be used as a decorator.

    Examples
    --------
    >>> import cs_helpers as cs
    >>> seen = []
    >>> _ = on_language_change(seen.append)
    >>> cs.set_language("ja"); cs.set_language(None)
    >>> seen[-2:]
    ['ja', 'en']
    >>> _listeners.remove(seen.append)
    """
    _listeners.append(listener)
    return listener


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


# --------------------------------------------------------------------------------------------
# messages: DataError / DataWarning texts
# --------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\*?)(\w+)(:n|;|,|\+|/)?\}")
_NUMBER = r"-?[0-9][0-9,]*(?:\.[0-9]+)?"
_LIST_SEPARATORS = {";": "; ", ",": ", ", "/": "\n", "+": "\n  - "}


@dataclass(frozen=True)
class MessageTemplate:
    """One English message shape and its translation.

    ``english`` is the message as the library writes it with ``{name}`` where a value goes
    (a column name, a number, some ids: copied verbatim into the translation),
    ``{name:n}`` where only a number may go, ``{*name}`` where a piece of English text goes
    that is itself translated (a rule, a reason) and ``{*name;}`` for a list of such pieces
    separated by ``"; "`` (``{*name,}``: by ``", "``; ``{*name/}``: by new lines;
    ``{*name+}``: lines of a bulleted list, ``"\\n  - "``). ``{{`` and ``}}`` are literal braces. ``loose`` matches the same
    shape with any text in every placeholder (to check a template against the source).
    """

    english: str
    translation: str
    pattern: re.Pattern[str]
    nested: frozenset[str]
    lists: dict[str, str]
    loose: re.Pattern[str]

    @classmethod
    def build(cls, english: str, translation: str) -> MessageTemplate:
        parts: list[str] = []
        loose: list[str] = []
        seen: set[str] = set()
        nested: set[str] = set()
        lists: dict[str, str] = {}
        pos = 0
        for m in _PLACEHOLDER.finditer(english):
            literal = re.escape(english[pos:m.start()])
            parts.append(literal)
            loose.append(literal)
            pos = m.end()
            if m.group(0) in ("{{", "}}"):
                parts.append(re.escape(m.group(0)[0]))
                loose.append(re.escape(m.group(0)[0]))
                continue
            star, name, kind = m.group(1), m.group(2), m.group(3)
            if star:
                nested.add(name)
            if kind in _LIST_SEPARATORS:
                lists[name] = _LIST_SEPARATORS[kind]
            body = _NUMBER if kind == ":n" else ".*?"
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{body})")
            loose.append(".*?")
            seen.add(name)
        parts.append(re.escape(english[pos:]))
        loose.append(re.escape(english[pos:]))
        used = {m.group(2) for m in _PLACEHOLDER.finditer(translation) if m.group(2)}
        if not used <= seen:
            raise ValueError(f"message template {english!r}: the translation uses "
                             f"{sorted(used - seen)}, which the English lacks")
        return cls(english, translation, re.compile("".join(parts), re.DOTALL),
                   frozenset(nested), lists, re.compile("".join(loose), re.DOTALL))

    def render(self, match: re.Match[str], language: str) -> str:
        """The translation with the matched values filled in (nested texts translated)."""

        def fill(m: re.Match[str]) -> str:
            if m.group(0) in ("{{", "}}"):
                return m.group(0)[0]
            name = m.group(2)
            value = match.group(name)
            if name in self.lists:
                sep = self.lists[name]
                value = sep.join(translate_message(v, language, part=True)
                                 for v in value.split(sep))
            elif name in self.nested:
                value = translate_message(value, language, part=True)
            return value

        return _PLACEHOLDER.sub(fill, self.translation)


_CATALOGS: dict[tuple[str, bool], tuple[MessageTemplate, ...]] = {}


def message_catalog(language: str, *, parts: bool = False) -> tuple[MessageTemplate, ...]:
    """The compiled templates of ``language``: whole messages, or (``parts=True``) the pieces
    that go into a message's ``{*name}`` places (rules, reasons, hints). Empty for English."""
    key = (language, parts)
    if key not in _CATALOGS:
        pairs: tuple[tuple[str, str], ...] = ()
        if language == "ja":
            from . import messages_ja
            pairs = messages_ja.PARTS + messages_ja.EXTERNAL if parts else messages_ja.MESSAGES
        _CATALOGS[key] = tuple(MessageTemplate.build(e, t) for e, t in pairs)
    return _CATALOGS[key]


def find_template(english: str, language: str = "ja", *, parts: bool = False
                  ) -> tuple[MessageTemplate, re.Match[str]] | None:
    """The first template of ``language`` whose English shape matches the whole of
    ``english``, with the match; ``None`` when no template does."""
    for template in message_catalog(language, parts=parts):
        m = template.pattern.fullmatch(english)
        if m is not None:
            return template, m
    return None


def translate_message(english: str, language: str | None = None, *, part: bool = False) -> str:
    """``english`` (a message of the library) in ``language`` (default: the one in effect).

    Column names, numbers, ids and values stay exactly as in the English; a message with
    no translation stays in English (the fallback). ``part=True`` translates a piece of a
    message (a rule, a reason) instead of a whole one.

    Examples
    --------
    >>> msg = ("Column 'end_date': an end date must not be before its start date — "
    ...        "2 of 5 rows break this rule (first ids: C3, C5).")
    >>> print(translate_message(msg, "ja"))
    列 'end_date': 終了日が開始日より前になっています — 5 行中 2 行が該当します（先頭の ID: C3, C5）。
    >>> translate_message(msg, "en") == msg
    True
    """
    language = get_language() if language is None else _normalise(language, "language")
    if language == LANGUAGES[0] or not english:
        return english
    found = find_template(english, language, parts=part)
    if found is None:
        return english
    template, match = found
    return template.render(match, language)
