"""Business assumptions, stated once: margin, discount rate, horizon, what ARPA means, currency.

Every LTV, ROI or what-if in the course rests on a few numbers that the data cannot give: how much
of a yen of revenue is left after the cost of running the service (gross margin; the CS team's
time is counted separately where a lesson values CS work), how much less a yen next
year is worth (the discount rate), how far ahead a customer is valued (the horizon) and what
"average revenue per account" (ARPA) means. The course states them here, once, and every notebook
reads them from :data:`COURSE` (notebook 00 shows the table; the others name what they use), so
that two notebooks never value the same customer on different assumptions. On your own data,
make your own with :class:`Assumptions` and change one number at a time to see how much a
conclusion depends on it (:meth:`Assumptions.vary`).

>>> from cs_helpers.assumptions import COURSE
>>> COURSE.horizon_months, COURSE.annual_discount_rate, COURSE.b2b.gross_margin
(60, 0.08, 0.8)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from . import errors
from .errors import DataError
from .sentences import Sentence, say

__all__ = ["Business", "Assumptions", "COURSE"]


@dataclass(frozen=True)
class Business:
    """Assumptions that belong to one business.

    Attributes
    ----------
    name : str
        What the business is (for tables and captions).
    gross_margin : float
        Share of revenue left after the cost of running the service for the customer (hosting,
        delivery, payment fees: 0.8 = 80%). The CS team's own time is not in it: a lesson that
        values CS work counts that cost separately.
    arpa : str
        What "ARPA" (average revenue per account, per month) means for this business.

    ``name`` and ``arpa`` are kept as :class:`~cs_helpers.sentences.Sentence`: their value is
    the English given, and they show themselves in the language in effect
    (``f"{COURSE.b2b.arpa}"`` is Japanese after ``cs.set_language("ja")``).
    arpa_column : str
        The column of the course data that holds it.
    currency : str
        Currency of every amount.
    """

    name: str
    gross_margin: float
    arpa: str
    arpa_column: str
    currency: str = "JPY"

    def __post_init__(self) -> None:
        errors.check_fraction(self.gross_margin, "gross_margin", allow_zero=False)
        for attr in ("name", "arpa"):
            value = getattr(self, attr)
            if isinstance(value, str) and not isinstance(value, Sentence):
                object.__setattr__(self, attr, Sentence(value))


@dataclass(frozen=True)
class Assumptions:
    """The assumptions behind every money figure: one object, shown once, used everywhere.

    Attributes
    ----------
    annual_discount_rate : float
        How much less a yen a year from now is worth (0.08 = 8% a year); converted to a
        monthly rate where needed, as everywhere in :mod:`cs_helpers.ltv`.
    horizon_months : int
        How far ahead a customer is valued: LTVs are sums over the first ``horizon_months``
        months of a customer's life.
    b2b, b2c : Business
        The two simulated businesses' own assumptions (margin, ARPA definition, currency).

    Examples
    --------
    >>> a = Assumptions()
    >>> a.vary("annual_discount_rate", [0.0, 0.15])[1].annual_discount_rate
    0.15
    >>> a.vary("b2b.gross_margin", [0.7])[0].b2b.gross_margin
    0.7
    """

    annual_discount_rate: float = 0.08
    horizon_months: int = 60
    b2b: Business = field(default_factory=lambda: Business(
        name="B2B SaaS (contact management)", gross_margin=0.80,
        arpa="MRR at the start of the contract, averaged over accounts: what a new account "
             "pays a month (seat growth later is counted separately, as expansion)",
        arpa_column="b2b_accounts.mrr"))
    b2c: Business = field(default_factory=lambda: Business(
        name="B2C subscription (bag rental)", gross_margin=0.60,
        arpa="monthly fee of the plan the member joined on, averaged over members",
        arpa_column="b2c_members.monthly_fee"))

    def __post_init__(self) -> None:
        errors.check_fraction(self.annual_discount_rate, "annual_discount_rate")
        if (isinstance(self.horizon_months, bool) or int(self.horizon_months) != self.horizon_months
                or self.horizon_months < 1):
            raise DataError(f"horizon_months: a whole number of months >= 1 (e.g. 60); got "
                            f"{self.horizon_months!r}.")

    def table(self) -> pd.DataFrame:
        """The assumptions as a table to show (value, meaning), one row each; the values and
        meanings are written in the language in effect (the row and column labels stay as
        they are, for code that reads the table).

        Examples
        --------
        >>> Assumptions().table().loc["horizon", "value"]
        '60 months (5 years)'
        """
        rows: dict[str, tuple[str, str]] = {
            "horizon": (say(f"{self.horizon_months} months ({self.horizon_months / 12:g} years)"),
                        say("how far ahead a new customer is valued (LTV, ROI, what-ifs)")),
            "discount rate": (say(f"{self.annual_discount_rate:.0%} a year"),
                              say("a yen a year from now is worth 1 / (1 + rate) today")),
        }
        for key, biz in (("B2B", self.b2b), ("B2C", self.b2c)):
            name, arpa = getattr(biz.name, "english", biz.name), getattr(biz.arpa, "english",
                                                                         biz.arpa)
            rows[f"{key} gross margin"] = (f"{biz.gross_margin:.0%}",
                                           say(f"{name}: revenue left after the cost of running "
                                               "the service (CS team time counted separately)"))
            rows[f"{key} ARPA"] = (say(f"{biz.currency} per month"),
                                   say(f"{arpa} (column {biz.arpa_column})"))
        out = pd.DataFrame(rows, index=["value", "meaning"]).T
        out.index.name = "assumption"
        return out

    def vary(self, name: str, values: Any) -> list[Assumptions]:
        """Copies with one assumption changed, for a sensitivity check.

        Parameters
        ----------
        name : str
            ``"annual_discount_rate"``, ``"horizon_months"``, ``"b2b.gross_margin"`` or
            ``"b2c.gross_margin"``.
        values : iterable
            The values to try.

        Returns
        -------
        list of Assumptions
            One per value, everything else unchanged.
        """
        out = []
        for v in values:
            if "." in name:
                biz, attr = name.split(".", 1)
                if biz not in ("b2b", "b2c") or attr not in Business.__dataclass_fields__:
                    raise DataError(f"name: unknown assumption {name!r}.")
                out.append(replace(self, **{biz: replace(getattr(self, biz), **{attr: v})}))
            elif name in ("annual_discount_rate", "horizon_months"):
                out.append(replace(self, **{name: v}))
            else:
                raise DataError(f"name: unknown assumption {name!r}; use annual_discount_rate, "
                                "horizon_months, b2b.gross_margin or b2c.gross_margin.")
        return out


#: The course's assumptions (shown in notebook 00; every notebook reads them from here).
COURSE = Assumptions()
