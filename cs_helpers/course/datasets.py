"""The course's simulated datasets, loaded with proper types from any working directory.

>>> from cs_helpers import datasets
>>> "b2c_members" in datasets.names()
True
>>> members = datasets.load("b2c_members")
>>> members["join_date"].dtype
dtype('<M8[ns]')
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .schema import AS_OF, CATEGORY_ORDER, DESCRIPTIONS, TABLES

__all__ = ["names", "load", "data_dir", "describe", "AS_OF"]


def data_dir() -> Path:
    """Return the folder holding the course CSVs.

    ``CS_HELPERS_DATA`` overrides it; otherwise it is the ``data/`` folder of the checkout this
    package was installed from (an editable install), found relative to this file so that
    notebooks work from any working directory.
    """
    env = os.environ.get("CS_HELPERS_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def names() -> list[str]:
    """Return the names of the course datasets, for :func:`load`.

    Examples
    --------
    >>> names()[:3]
    ['b2b_accounts', 'b2b_usage_monthly', 'b2b_onboarding']
    """
    return list(TABLES)


def describe() -> pd.DataFrame:
    """Return one row per dataset: name, description, columns.

    Examples
    --------
    >>> describe().loc["b2c_members", "columns"].split(", ")[:2]
    ['member_id', 'join_date']
    """
    return pd.DataFrame(
        {"description": [DESCRIPTIONS[n] for n in TABLES],
         "columns": [", ".join(TABLES[n]) for n in TABLES]},
        index=pd.Index(list(TABLES), name="name"),
    )


def _dtypes(name: str) -> tuple[dict, list[str]]:
    dtype: dict[str, str] = {}
    dates: list[str] = []
    for col, kind in TABLES[name].items():
        if kind == "date":
            dates.append(col)
        elif kind in ("id", "text"):
            dtype[col] = "string"
        elif kind == "category":
            dtype[col] = "category"
        elif kind == "int":
            dtype[col] = "int64"
        elif kind == "float":
            dtype[col] = "float64"
        elif kind == "bool":
            dtype[col] = "bool"
    return dtype, dates


def load(name: str, directory: str | Path | None = None) -> pd.DataFrame:
    """Load one course dataset with dates parsed, ids as strings and categories as categoricals.

    Parameters
    ----------
    name : str
        One of :func:`names`.
    directory : path, optional
        Where the CSVs are; defaults to :func:`data_dir`.

    Returns
    -------
    pandas.DataFrame
        The table; ``df.attrs["as_of"]`` holds the observation date (a ``Timestamp``).

    Examples
    --------
    >>> accounts = load("b2b_accounts")
    >>> str(accounts["plan"].dtype)
    'category'
    >>> accounts.attrs["as_of"]
    Timestamp('2026-09-30 00:00:00')
    """
    if name not in TABLES:
        raise DataError(f"Unknown dataset {name!r}; choose one of: {', '.join(TABLES)}.")
    folder = Path(directory) if directory is not None else data_dir()
    path = folder / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found. Rebuild the course data with `make data` "
            "(or `python -m cs_helpers.simulate --out data`)."
        )
    dtype, dates = _dtypes(name)
    df = pd.read_csv(path, dtype=dtype, parse_dates=dates, date_format="%Y-%m-%d")
    for col in dates:
        df[col] = df[col].astype("datetime64[ns]")
    for col, order in CATEGORY_ORDER.items():
        if col in df.columns and isinstance(df[col].dtype, pd.CategoricalDtype):
            present = set(df[col].cat.categories)
            df[col] = df[col].cat.set_categories([v for v in order if v in present],
                                                 ordered=True)
    df.attrs["as_of"] = pd.Timestamp(AS_OF)
    df.attrs["name"] = name
    return df
