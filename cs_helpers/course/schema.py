"""The course datasets' tables and column types: one place that the simulator writes to and
:mod:`cs_helpers.course.datasets` reads from.

Each table maps column name -> kind, where kind is one of ``"id"`` (text identifier),
``"date"``, ``"category"``, ``"int"``, ``"float"``, ``"bool"`` or ``"text"``. Dates are written as
``YYYY-MM-DD`` and left empty where there is no date (an active customer's end date).
"""

from __future__ import annotations

#: Observation date of both simulated businesses: everything later is unknown (censored).
AS_OF = "2026-09-30"

TABLES: dict[str, dict[str, str]] = {
    # --- B2B SaaS: a cloud contact-management product (in the spirit of the Sansan case) ---
    "b2b_accounts": {
        "account_id": "id",
        "industry": "category",
        "company_size": "category",        # employees band: 1-49, 50-249, 250-999, 1000+
        "plan": "category",                # plan at start: Lite, Standard, Enterprise
        "channel": "category",             # acquisition channel
        "seats": "int",                    # seats at start
        "start_date": "date",
        "end_date": "date",                # empty while active at AS_OF
        "mrr": "float",                    # JPY per month at start
    },
    "b2b_usage_monthly": {                 # one row per account per month it was a customer
        "account_id": "id",
        "month": "date",                   # first day of the month
        "plan": "category",
        "seats": "int",
        "active_users": "int",             # users who logged in at least once that month
        "cards_scanned": "int",            # business cards digitised that month
        "deals_sourced": "int",            # deals the customer attributes to shared contacts
        "mrr": "float",                    # JPY billed for the month
    },
    "b2b_onboarding": {                    # one row per account per milestone
        "account_id": "id",
        "milestone": "category",           # kickoff, data_imported, team_invited, first_value
        "due_date": "date",                # planned date (start + target days)
        "completed_date": "date",          # empty if never completed
    },
    "b2b_nps": {
        "response_id": "id",
        "account_id": "id",
        "survey_date": "date",
        "score": "int",                    # 0..10
    },
    "b2b_tickets": {
        "ticket_id": "id",
        "account_id": "id",
        "opened_date": "date",
        "category": "category",            # how-to, bug, billing, feature request
        "hours_to_resolve": "float",
    },
    # --- B2C subscription: a bag-rental club (in the spirit of the Laxus case) ---
    "b2c_members": {
        "member_id": "id",
        "join_date": "date",
        "cancel_date": "date",             # empty while a member at AS_OF
        "plan": "category",                # single, double (plan at join)
        "age_band": "category",
        "channel": "category",
        "monthly_fee": "float",            # JPY per month at join
    },
    "b2c_activity_monthly": {              # one row per member per month of membership
        "member_id": "id",
        "month": "date",
        "plan": "category",
        "rentals": "int",
        "exchanges": "int",
        "purchases": "int",
    },
}

#: Short descriptions, shown by :func:`cs_helpers.course.datasets.names` users and in data/README.md.
DESCRIPTIONS: dict[str, str] = {
    "b2b_accounts": "B2B SaaS: one row per customer account (start, end, plan, size, MRR)",
    "b2b_usage_monthly": "B2B SaaS: account x month usage, seats and MRR",
    "b2b_onboarding": "B2B SaaS: onboarding milestones with due and completion dates",
    "b2b_nps": "B2B SaaS: NPS survey responses (0-10)",
    "b2b_tickets": "B2B SaaS: support tickets",
    "b2c_members": "B2C bag-rental club: one row per member (join, cancel, plan)",
    "b2c_activity_monthly": "B2C bag-rental club: member x month rentals, exchanges, purchases",
}

#: Categories with a natural order: loaded as ordered categoricals (tables and plots follow it).
CATEGORY_ORDER: dict[str, list[str]] = {
    "company_size": ["1-49", "50-249", "250-999", "1000+"],
    "plan": ["Lite", "Standard", "Enterprise", "single", "double"],
    "milestone": ["kickoff", "data_imported", "team_invited", "first_value"],
    "age_band": ["20-29", "30-39", "40-49", "50+"],
}
