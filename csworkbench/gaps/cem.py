"""The CEM seven steps (客户体验管理七步法): gaps, importance-weighted gaps, key experiences, the ideal.

Customer experience management as the course teaches it (COURSE.md §1; after Schmitt 2003,
*Customer Experience Management*, Wiley): measure each experience driver's perception (2a,
实际体验) and expectation (2b), their gap (2c = 2a − 2b), weight it by importance (2d × 2c) so
the *key experiences* (关键体验) come first, then compare perception with the ideal (4b = 2a −
4a).  :func:`cem_table` computes the table, :func:`cem_steps` states what it shows at each of
the seven steps in Chinese or English.  Blank cells stay blank (NaN), never 0.

Examples
--------
>>> from csworkbench.datasets.servqual import load_cem_example
>>> from csworkbench.gaps import cem_steps, cem_table
>>> table = cem_table(load_cem_example())
>>> table[["attribute", "perception", "gap", "weighted_gap", "ideal_gap"]].head(2)
     attribute  perception  gap  weighted_gap  ideal_gap
0  convenience         5.0 -2.0         -18.0       -5.0
1      product         6.0 -1.0           NaN        0.0
>>> cem_steps(table, lang="en").loc[2, "finding"]
'Key experience: Convenience (importance 9 × gap -2 = -18).'
"""

from __future__ import annotations

import pandas as pd

from ..i18n import t
from ._common import check_lang, numbers, require

__all__ = ["cem_table", "cem_steps", "CEM_COLUMNS"]

#: The columns of :func:`cem_table`, in order.
CEM_COLUMNS = ["attribute", "perception", "expectation", "gap", "importance", "weighted_gap", "ideal", "ideal_gap"]


def cem_table(
    data: pd.DataFrame,
    *,
    attribute: str = "attribute",
    perception: str = "perception",
    expectation: str = "expectation",
    importance: str = "importance",
    ideal: str = "ideal",
) -> pd.DataFrame:
    """The CEM seven-steps table (客户体验管理七步法): gap, weighted gap, gap to the ideal, key experiences first.

    Parameters
    ----------
    data : DataFrame
        One row per experience driver with its mean scores: ``attribute``, ``perception``
        (2a, 实际体验), ``expectation`` (2b), ``importance`` (2d), ``ideal`` (4a); name other
        columns with the keyword arguments.  Missing columns or cells are missing (NaN), never 0.

    Returns
    -------
    DataFrame
        ``attribute, perception, expectation, gap`` (2c = 2a − 2b), ``importance``,
        ``weighted_gap`` (2d × 2c), ``ideal``, ``ideal_gap`` (4b = 2a − 4a, 体验差距).  Sorted
        so the key experiences (most negative weighted gap) come first; rows without a weighted
        gap follow in their input order.  Any cell whose inputs are missing is NaN.

    Raises
    ------
    DataError
        ``attribute`` or ``perception`` missing, or a score column holding text.

    Examples
    --------
    >>> import pandas as pd
    >>> cem_table(pd.DataFrame({"attribute": ["wait"], "perception": [5], "expectation": [7],
    ...                         "importance": [9], "ideal": [10]})).iloc[0].to_dict()
    {'attribute': 'wait', 'perception': 5.0, 'expectation': 7.0, 'gap': -2.0, 'importance': 9.0, 'weighted_gap': -18.0, 'ideal': 10.0, 'ideal_gap': -5.0}
    """
    require(data, [attribute, perception], "the CEM table")
    cols = {}
    for name, col in (
        ("perception", perception),
        ("expectation", expectation),
        ("importance", importance),
        ("ideal", ideal),
    ):
        cols[name] = numbers(data, col).to_numpy() if col in data.columns else float("nan")
    out = pd.DataFrame({"attribute": data[attribute].to_numpy(), **cols}, index=range(len(data)))
    out = out.astype({c: float for c in cols})
    out["gap"] = out["perception"] - out["expectation"]
    out["weighted_gap"] = out["importance"] * out["gap"]
    out["ideal_gap"] = out["perception"] - out["ideal"]
    out = out.sort_values("weighted_gap", kind="stable", na_position="last").reset_index(drop=True)
    return out[CEM_COLUMNS]


def cem_steps(table: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """The seven CEM steps with what the data say at each step (for notebooks and lessons).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`cem_table`.
    lang : {"zh", "en"}
        Language of ``finding``.

    Returns
    -------
    DataFrame
        ``step`` (1–7), ``name_zh`` and ``name_en`` (the step's name in both languages, as
        the course teaches it bilingually), ``finding`` (a sentence in ``lang`` stating what
        the table shows at that step, or that the step needs information the data do not hold).
    """
    check_lang(lang)
    require(table, CEM_COLUMNS, "the CEM table (output of cem_table)")

    def name(a):
        key = f"gaps.cem.{a}"
        try:
            return t(key, lang)
        except KeyError:
            return str(a)

    def num(x):
        return f"{x:g}"

    sep = "、" if lang == "zh" else ", "
    keyexp = table.dropna(subset=["weighted_gap"])
    keyexp = keyexp[keyexp["weighted_gap"] < 0]
    if len(keyexp):
        top = keyexp.iloc[0]
        f3 = t(
            "gaps.cem.finding3",
            lang,
            attribute=name(top["attribute"]),
            importance=num(top["importance"]),
            gap=num(top["gap"]),
            weighted=num(top["weighted_gap"]),
        )
    else:
        f3 = t("gaps.cem.finding3_none", lang)
    ideal = table.dropna(subset=["ideal_gap"])
    short = ideal[ideal["ideal_gap"] < 0].sort_values("ideal_gap", kind="stable")
    if len(short):
        f4 = t(
            "gaps.cem.finding4",
            lang,
            items=sep.join(
                f"{name(r.attribute)} ({num(r.perception)} − {num(r.ideal)} = {num(r.ideal_gap)})"
                for r in short.itertuples()
            ),
            rest=len(ideal) - len(short),
        )
    else:
        f4 = t("gaps.cem.finding4_none", lang)
    key_names = sep.join(name(a) for a in keyexp["attribute"]) or sep.join(name(a) for a in short["attribute"])
    findings = [
        t("gaps.cem.finding1", lang, attributes=sep.join(name(a) for a in table["attribute"])),
        t(
            "gaps.cem.finding2",
            lang,
            measured=int(table["perception"].notna().sum()),
            with_expectation=int(table["expectation"].notna().sum()),
            with_importance=int(table["importance"].notna().sum()),
        ),
        f3,
        f4,
        t("gaps.cem.finding5", lang, attributes=key_names or "—"),
        t("gaps.cem.finding6", lang),
        t("gaps.cem.finding7", lang),
    ]
    return pd.DataFrame(
        {
            "step": range(1, 8),
            "name_zh": [t(f"gaps.cem.step{i}", "zh") for i in range(1, 8)],
            "name_en": [t(f"gaps.cem.step{i}", "en") for i in range(1, 8)],
            "finding": findings,
        }
    )
