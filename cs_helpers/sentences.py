"""The library's own sentences that are not error messages, in the language in effect.

Besides its :class:`~cs_helpers.DataError` and :class:`~cs_helpers.DataWarning` messages,
the library writes sentences a reader sees: what an assumption means
(:meth:`cs_helpers.assumptions.Assumptions.table`), what a fitted parameter means
(:meth:`cs_helpers.ltv.ShiftedBetaGeometric.summary`), how a file was read
(:func:`cs_helpers.engines.read_notes`), the report's words (:func:`cs_helpers.report.months`,
:func:`cs_helpers.report.revenue_sentence`...). They use the same engine as the messages
(:func:`cs_helpers.i18n.translate_message`): the code writes the English, and :func:`say`
gives it in the language in effect, asked when the words are shown (never at import), from the
pieces of the catalog ``cs_helpers/messages_ja.py`` (values such as column names and numbers
copied verbatim). A sentence with no translation stays in English (the fallback), and the
English output is the English written in the code, unchanged.

A text that is stored once and shown many times (a constant such as
:data:`cs_helpers.report.PARAMETERS`, or ``COURSE.b2b.arpa``) is a :class:`Sentence`: a ``str``
whose value is the English (equality, hashing, ``repr``) and which shows itself in the
language in effect (``str()``, ``print``, f-strings, tables).

``tests/test_i18n_sentences.py`` checks that every text given to :func:`say` or
:class:`Sentence` has a Japanese form with no English left, and that no translation is stale.

Examples
--------
>>> import cs_helpers as cs
>>> cs.set_language("ja")
>>> say("12.5 months"), say("not reached")
('12.5か月', '未到達')
>>> s = Sentence("its month column")
>>> print(s)
その月の列
>>> s == "its month column"
True
>>> cs.set_language("en")
>>> f"{s}"
'its month column'
"""

from __future__ import annotations

from .i18n import translate_message

__all__ = ["say", "Sentence", "warn"]


def say(english: str) -> str:
    """``english`` (a sentence or a phrase the library shows) in the language in effect.

    Values in it (numbers, column names, ids) are copied verbatim; English is the fallback
    for a text with no translation, and English readers get ``english`` itself.

    Examples
    --------
    >>> say("12.5 months")   # English unless cs.set_language("ja") or CS_HELPERS_LANG=ja
    '12.5 months'
    """
    return translate_message(english, part=True)


class Sentence(str):
    """English text that shows itself in the language in effect.

    Its value is the English (``==``, hashing, ``repr`` and string operations such as ``+``
    or ``.split()`` use the English); ``str()``, ``print``, f-strings and pandas tables show
    :func:`say` of it, asked at that moment. ``.english`` is the English as a plain ``str``.

    Examples
    --------
    >>> s = Sentence("monthly revenue per customer")
    >>> s.english, f"{s}"
    ('monthly revenue per customer', 'monthly revenue per customer')
    """

    __slots__ = ()

    @property
    def english(self) -> str:
        """The English text (a plain ``str``)."""
        return str.__str__(self)

    def __str__(self) -> str:
        return say(self.english)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def warn(english: str, category: type[Warning] = UserWarning, stacklevel: int = 2) -> None:
    """Issue a warning whose text is ``english`` in the language in effect; the English stays
    on the warning as ``.english`` (for code that reads or rewraps it).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("not reached")
    >>> caught[0].message.english
    'not reached'
    """
    import warnings

    message = category(say(english))
    message.english = english            # type: ignore[attr-defined]
    warnings.warn(message, stacklevel=stacklevel + 1)
