# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["report-hide"]
# # 服务质量分析 · Service quality analysis
#
# 满意度是一个差距：实际感受 − 期望（三角定律）。本报告从 SERVQUAL 问卷的原始回答出发，先给出摘要
# （发现、关键指标、建议行动），再是各维度差距、题项差距与重要性–绩效分析；技术细节在附录。
# 卡诺模型与客户体验管理七步法只在有对应数据时出现（示例数据运行时展示课程案例）。
#
# Parameters (also documented as comments in the parameters cell): `data_path` (your survey:
# CSV/Excel/Parquet, wide with headers such as 期望1…感知22, 感知_1, E1/P1, EXPE3, q1_E, 重要性_可靠性,
# or long `respondent, item, kind, score`; `""` = a synthetic survey with known truth), `sheet`,
# `respondent_column`, `kinds`, `mapping`, `segment_column`/`segment_value` (no value: segments compared),
# `segment_reference`, `segment_min_n`, `weights`, `period`, `lang`,
# `title`, `scale_low`/`scale_high`, `kano_path`, `kano_provided`, `cem_path`, `n_respondents`,
# `random_state`, `previous_kpis`.

# %% tags=["parameters"]
# your survey file; "" = synthetic survey (n_respondents, random_state)
data_path = ""
# Excel: sheet name or 0-based number; "" = the first sheet
sheet = ""
# respondent-id header; "" = found among respondent/id/问卷编号/受访者/编号…
respondent_column = ""
# your header labels → E/P/I, e.g. {"预期": "E", "实感": "P"}; {} = 期望/感知/重要性, E/P/I, EXPE/PERC…
kinds = {}
# dimension → items (numbers, headers or q-labels), e.g. {"有形性": [1, 2, 3, 4]}; {} = the 22 standard items
mapping = {}
# analyse one segment: its column …
segment_column = ""
# … and value; "" = all, and with a segment_column: compare the segments (gap per dimension, Welch t, Holm)
segment_value = ""
# the segment every other is compared with; "" = each against the rest (two segments: the first)
segment_reference = ""
# segments with fewer respondents are listed and not compared
segment_min_n = 30
# a column of case weights (sampling weights, one value per respondent); "" = unweighted
weights = ""
# "", 2026, 2026-Q3 or 2026-10 — interview dates in column `date` (csworkbench.periods)
period = ""
# "zh" / "en"
lang = "zh"
# page title; "" = the default title
title = ""
# answer scale
scale_low = 1
scale_high = 7
# a Kano survey file (features × functional/dysfunctional answers); "" = none (demo: synthetic)
kano_path = ""
kano_provided = {"wifi_on_board": False, "on_time": True, "safety": True, "logo_colour": True, "loud_music": True}
# a CEM seven-steps table; "" = none (demo: the course's Hong Kong shop case)
cem_path = ""
# synthetic data only
n_respondents = 300
# synthetic data only
random_state = 1
# filled by the batch runner: last period's key figures (JSON)
previous_kpis = ""

# %%
import warnings
from html import escape

from IPython.display import Markdown

from csworkbench.datasets.servqual import load_cem_example, make_kano_survey, make_servqual_survey
from csworkbench.errors import DataWarning
from csworkbench.gaps import (
    cem_steps,
    cem_table,
    cite_respondents,
    dimension_label,
    gap_bar_figure,
    instrument_mapping,
    ipa,
    ipa_figure,
    item_heatmap_figure,
    kano_classify,
    kano_figure,
    kano_title,
    needs_window,
    segment_gaps,
    select_answers,
    servqual,
    servqual_summary,
    survey_answers,
    table_view,
)
from csworkbench.gaps.reshape import RESPONDENT_COLUMNS
from csworkbench.i18n import t
from csworkbench.io import read_table
from csworkbench.periods import Period
from csworkbench.problems import localize
from csworkbench.reporting.display import findings, kpi_tiles, provenance, show_table
from csworkbench.reporting.result_tables import markdown_text
from csworkbench.reporting.inputs import problem_summary, read_input

warnings.simplefilter("ignore", DataWarning)  # every data problem is listed in the problem tables below

# %%
raw = (
    read_input(
        data_path, sheet=sheet, id_columns=[respondent_column] if respondent_column else list(RESPONDENT_COLUMNS)
    )
    if data_path
    else make_servqual_survey(n_respondents, random_state=random_state, segments=["north", "south"])
)

# %%
survey = survey_answers(raw, respondent=respondent_column, kinds=kinds or None)
answers = select_answers(
    survey, segment_column=segment_column if segment_value else "", segment_value=segment_value, period=period
)
dated = "date" in answers.columns or "period" in answers.columns

# %%
result = servqual(
    answers,
    mapping=instrument_mapping(mapping, kinds=kinds or None),
    scale=(scale_low, scale_high),
    weights=weights or None,
)
problems = cite_respondents(result.problems, answers)

# %%
has_importance = bool(result.dimensions["importance"].notna().any())
ipa_result = (
    ipa(
        result.dimensions.rename(columns={"dimension": "attribute", "perception": "performance"}),
        result.dimensions.rename(columns={"dimension": "attribute"}),
        lang=lang,
    )
    if has_importance
    else None
)
summary = servqual_summary(result, ipa=ipa_result, lang=lang)
segments = (
    segment_gaps(
        answers,
        result.items,
        segment=segment_column,
        reference=segment_reference or None,
        weights=weights or None,
        scale=(scale_low, scale_high),
        min_n=segment_min_n,
        lang=lang,
    )
    if segment_column and not segment_value
    else None
)
dimension_names = {d: dimension_label(d, lang) for d in result.dimensions["dimension"]}

# %%
Markdown(f"# {markdown_text(title) or t('gaps.title.service_quality', lang)}")

# %%
provenance(
    lang=lang,
    data=t("sq.synthetic", lang) if not data_path else None,
    path=data_path or None,
    period=Period.parse(period if dated else "").label(lang),
    n=int(answers["respondent"].nunique()),
    n_label=t("sq.n_label", lang),
)

# %%
Markdown(t("sq.period_none", lang, period=escape(str(period)))) if period and not dated else None

# %%
kpi_tiles(
    [
        {
            "key": "period",
            "label": t("sq.kpi.period", lang),
            "value": Period.parse(period if dated else "").label(lang),
            "kind": "text",
        }
    ]
    + summary.kpis,
    lang=lang,
    previous=previous_kpis,
)

# %%
findings(
    summary.findings + (segments.findings[:1] if segments is not None else []),
    summary.actions + [t("sq.rule", lang)],
    lang=lang,
)

# %%
Markdown(f"## {t('sq.h.gaps', lang)}\n\n{t('sq.h.gaps_read', lang)}")

# %%
gap_bar_figure(result, lang=lang, title=summary.titles["gaps"]).show()

# %%
show_table(
    table_view(
        result.dimensions,
        lang=lang,
        columns=["dimension", "n", "expectation", "perception", "gap", "ci_low", "ci_high"],
    ),
    lang=lang,
)

# %%
Markdown(f"## {t('sq.h.items', lang)}\n\n{t('sq.h.items_read', lang)}")

# %%
item_heatmap_figure(result, lang=lang, title=summary.titles["heatmap"]).show()

# %%
Markdown(f"## {t('sq.h.ipa', lang)}\n\n{t('sq.h.ipa_read', lang)}") if ipa_result is not None else None

# %%
ipa_figure(
    ipa_result, lang=lang, label=dimension_names, title=summary.titles["ipa"]
).show() if ipa_result is not None else None

# %%
show_table(
    table_view(ipa_result, lang=lang, columns=["attribute", "importance", "performance", "quadrant_name"]), lang=lang
) if ipa_result is not None else None

# %%
Markdown(f"## {t('sq.h.segments', lang)}\n\n" + " ".join(segments.notes)) if segments is not None else None

# %%
gap_bar_figure(segments.bars, lang=lang, title=segments.title, color="segment").show() if segments is not None else None

# %%
Markdown("\n".join(f"- {escape(str(f))}" for f in segments.findings)) if segments is not None else None

# %%
show_table(
    segments.table, lang=lang, labels=segments.labels, kinds={"p_adjusted": "p_value", "significant": "bool"}
) if segments is not None else None

# %%
Markdown(f"## {t('sq.h.problems', lang)} ({len(problems)})\n\n{t('sq.h.problems_read', lang)}") if len(
    problems
) else None

# %%
show_table(
    problem_summary(problems, lang),
    lang=lang,
    labels={"count": t("problem.count", lang), "examples": t("problem.examples", lang)},
) if len(problems) else None

# %%
kano = (
    kano_classify(
        read_table(kano_path) if kano_path else make_kano_survey(n_respondents, random_state=random_state), lang=lang
    )
    if kano_path or not data_path
    else None
)

# %%
Markdown(f"## {t('sq.h.kano', lang)}\n\n{t('sq.h.kano_read', lang)}") if kano is not None else None

# %%
kano_figure(kano, lang=lang, title=kano_title(kano.features, lang)).show() if kano is not None else None

# %%
show_table(
    table_view(
        needs_window(kano.features, kano_provided or None, lang=lang).merge(
            kano.features[["feature", "category_name", "better", "worse"]]
        ),
        lang=lang,
        columns=["feature", "category_name", "better", "worse", "window"],
    ),
    lang=lang,
) if kano is not None else None

# %%
cem = cem_table(read_table(cem_path) if cem_path else load_cem_example()) if cem_path or not data_path else None

# %%
Markdown(
    f"## {t('sq.h.cem', lang)}" + ("" if cem_path else f"\n\n{t('sq.h.cem_read', lang)}")
) if cem is not None else None

# %%
show_table(table_view(cem, lang=lang), lang=lang) if cem is not None else None

# %%
show_table(
    table_view(cem_steps(cem, lang=lang), lang=lang, columns=["step", f"name_{lang}", "finding"]), lang=lang
) if cem is not None else None

# %% tags=["appendix"]
Markdown(f"### {t('sq.app.dimensions', lang)}\n\n{t('sq.app.dimensions_read', lang)}")

# %% tags=["appendix"]
show_table(
    table_view(
        result.dimensions,
        lang=lang,
        columns=["dimension", "n", "n_missing", "expectation", "perception", "gap", "ci_low", "ci_high", "importance"],
    ),
    lang=lang,
)

# %% tags=["appendix"]
show_table(
    table_view(result.overall, lang=lang, columns=["score", "n", "n_missing", "gap", "ci_low", "ci_high"]), lang=lang
)

# %% tags=["appendix"]
Markdown(f"### {t('sq.app.items', lang)}\n\n{t('sq.app.items_read', lang)}")

# %% tags=["appendix"]
show_table(
    table_view(result.items, lang=lang, columns=["dimension", "item", "n", "gap", "ci_low", "ci_high", "p_adjusted"]),
    lang=lang,
    kinds={t("gaps.col.p_adjusted", lang): "p_value"},
)

# %% tags=["appendix"]
Markdown(f"### {t('sq.app.reliability', lang)}\n\n{t('sq.app.reliability_read', lang)}")

# %% tags=["appendix"]
show_table(table_view(result.reliability, lang=lang, columns=["dimension", "kind", "n", "alpha", "note"]), lang=lang)

# %% tags=["appendix"]
Markdown(f"### {t('sq.app.problems', lang)}\n\n{t('sq.app.problems_read', lang)}") if len(problems) else None

# %% tags=["appendix"]
show_table(
    localize(problems, lang)[["id", "row", "column", "value", "problem", "action"]],
    lang=lang,
    kinds={"id": "id", "row": "count"},
    labels={"value": t("problem.value", lang)},
) if len(problems) else None
