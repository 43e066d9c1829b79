"""Health scores, green/yellow/red status, alerts and a back-test against later churn.

What CS tools automate, done in the open on a monthly usage table (one row per account per month
it was a customer, e.g. the course's ``b2b_usage_monthly``):

1. :func:`score` turns a few usage **signals** over the last ``lookback`` months into 0-100
   sub-scores and a weighted **health score** 0-100 (:data:`DEFAULT_SIGNALS` says how each is
   computed and weighted). It reads only data up to and including ``as_of``: no look-ahead.
2. :func:`status` cuts the score into red / yellow / green.
3. :func:`alerts` applies simple rules (health dropped 15 points, utilisation below 30%, no deals
   for 3 months, a detractor NPS answer in the last 6 months, a spike in tickets) and suggests a
   task for each alert, as a CS tool's "an alert creates a task". By default the rules allow for
   the **onboarding ramp** (:class:`Ramp`): a new account is held to what accounts of its age
   typically reach (:func:`ramp_curve`), not to the bar for established accounts; ``ramp=None``
   keeps every account to the established bar.
4. :func:`alert_history` runs the rules month after month and marks each alert new or repeated;
   :func:`worklist` turns alerts into one call per account, ranked and cut at the team's
   capacity.
5. :func:`backtest` checks whether the score would have predicted churn: score at ``as_of``, then
   look at who churned in the next ``horizon`` months; churn rate per status, AUC and lift.
   :func:`backtest_alerts` does the same for alert rules: precision and lift per rule.

Column names are arguments, so any usage table works.

>>> import pandas as pd
>>> from cs_helpers import health
>>> usage = pd.DataFrame({
...     "account_id": ["A", "B", "C"], "month": ["2025-03-01"] * 3, "seats": [10, 10, 10],
...     "active_users": [9, 5, 1], "cards_scanned": [300, 100, 10],
...     "deals_sourced": [4, 2, 0], "mrr": [100_000.0, 100_000.0, 100_000.0]})
>>> s = health.score(usage)
>>> s[["account_id", "utilisation", "health"]]
  account_id  utilisation  health
0          A          0.9   100.0
1          B          0.5    50.0
2          C          0.1     0.0
>>> list(health.status(s))
['green', 'yellow', 'red']

The package, by concept: :mod:`.scores` (signals, score, history, status), :mod:`.ramp` (the
onboarding ramp allowance), :mod:`.alerts` (rules, alerts, alert history, worklist) and
:mod:`.backtest` (the score's and the alert rules' back-tests). Every public name is also
``cs.health.<name>``.
"""

from __future__ import annotations

from .alerts import (
    ALERT_COLUMNS,  # noqa: F401  (public as before, not in __all__)
    DEFAULT_RULES,
    Detractor,
    HealthDrop,
    LowSignal,
    NoActivity,
    TicketSpike,
    alert_history,
    alerts,
    worklist,
)
from .backtest import AlertBacktest, Backtest, backtest, backtest_alerts
from .ramp import DEFAULT_RAMP, Ramp, ramp_curve
from .scores import DEFAULT_SIGNALS, DEFAULT_THRESHOLDS, STATUSES, Signal, history, score, status

__all__ = ["Signal", "DEFAULT_SIGNALS", "STATUSES", "DEFAULT_THRESHOLDS", "score", "history",
           "status", "Ramp", "DEFAULT_RAMP", "ramp_curve", "HealthDrop", "LowSignal",
           "NoActivity", "Detractor", "TicketSpike", "DEFAULT_RULES", "alerts", "alert_history",
           "worklist", "Backtest", "backtest", "AlertBacktest", "backtest_alerts"]
