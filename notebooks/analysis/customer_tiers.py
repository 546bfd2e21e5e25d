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
# # 客户层级与客户价值 · Customer tiers and value
#
# 从交易数据出发：客户金字塔、帕累托/洛伦兹曲线、RFM 细分、BG/NBD + Gamma-Gamma 客户终身价值；
# 只有给出相应数据时才出现 ABC 关怀预算（care_programme）和营销实验决策树（experiment_path）。
# From a transaction log: the customer pyramid, the Pareto/Lorenz curve, RFM segments, BG/NBD +
# Gamma-Gamma lifetime value; the ABC care budget (care_programme) and the experiment's decision
# tree (experiment_path) appear only when their inputs are given (the course's examples of both are
# lessons 06 and 08).
#
# Parameters: `data_path` (your CSV / Excel / Parquet transaction log; `""` = the bundled CDNOW
# sample), `sheet` (Excel sheet), `column_map` (your header → `customer_id`, `date`, `amount`,
# `quantity`, `margin`), `period` (`""` all data, `2026`, `2026-Q3`, `2026-10`: tiers and RFM use
# the period's purchases, lifetime value the history up to its end), `currency`, `value_column`
# (`revenue` or `margin`), `margin_rate`, `cuts` (pyramid shares from the top), `calibration_end`
# (`""` = halfway through the history), `observation_end` (`""` = last date), `horizon_months`,
# `annual_discount_rate`, `clv_draws` (parameter draws for the CLV intervals; 0 = none),
# `care_programme` (`{tier: [[activity, times a year, unit cost], …]}`; `{}` = no care section),
# `care_caps` (`{tier: yearly cap}`), `experiment_path` (a file with a treatment flag, a response
# and features; `""` = no experiment section), `experiment_sheet`, `treatment`, `response`,
# `experiment_features`, `mask`, `lang`, `title`, `previous_kpis` (filled by the batch runner: the
# findings' change since last period uses it, else the same file's previous period).
# Lifetime value is left out, with the reason in the page, when fewer than 20 customers bought
# again in the calibration period or the models do not converge.

# %% tags=["parameters"]
data_path = ""
sheet = ""
column_map = {}
period = ""
currency = ""
value_column = "revenue"
margin_rate = 1.0
cuts = [0.01, 0.04, 0.15, 0.80]
calibration_end = ""
observation_end = ""
horizon_months = 12
annual_discount_rate = 0.10
clv_draws = 200
care_programme = {}
care_caps = {}
experiment_path = ""
experiment_sheet = ""
treatment = "treatment"
response = "response"
experiment_features = []
random_state = 0
mask = True
lang = "zh"
title = ""
previous_kpis = ""

# %%
from IPython.display import Markdown

from csworkbench import clv, tiers
from csworkbench.i18n import t
from csworkbench.reporting import display
from csworkbench.reporting.inputs import (
    lifetime_value,
    previous_figure,
    problem_labels,
    problem_summary,
    problem_table,
    read_input,
    transactions_input,
)
from csworkbench.reporting.result_tables import markdown_text, show_result

# %%
source = transactions_input(data_path, sheet=sheet, column_map=column_map, period=period)

# %%
display.provenance(
    lang=lang,
    path=source.path,
    period=source.period.label(lang),
    n=len(source.data),
    n_label=t("reporting.overview.transactions", lang),
)

# %%
Markdown(f"# {markdown_text(title) or t('nb_tiers.title', lang)}")

# %%
margin = margin_rate if value_column == "margin" else None

# %%
value = tiers.customer_value(source.data, margin_rate=margin)

# %%
pyramid = tiers.customer_pyramid(value, cuts=cuts, value=value_column, lang=lang)

# %%
summary = tiers.tier_summary(pyramid, lang=lang)

# %%
concentration = tiers.lorenz(value, value=value_column, negative="zero")

# %%
scores = tiers.rfm(value, lang=lang)

# %%
segments = tiers.rfm_summary(scores, lang=lang)

# %%
fitted = lifetime_value(
    source.history,
    calibration_end,
    observation_end,
    horizon_months=horizon_months,
    annual_discount_rate=annual_discount_rate,
    margin=margin_rate,
    n_draws=clv_draws,
    random_state=random_state,
    lang=lang,
)
lifetime = fitted.table

# %%
previous_value, previous_period = previous_figure(
    previous_kpis,
    "value",
    source.period,
    fallback=None
    if source.previous is None
    else float(tiers.customer_value(source.previous, margin_rate=margin).table[value_column].sum()),
)

# %%
findings, actions = tiers.tier_findings(
    summary,
    concentration,
    segments,
    source.period,
    previous_value=previous_value,
    previous_period=previous_period,
    lifetime=lifetime,
    lifetime_reason=fitted.reason,
    lang=lang,
    currency=currency,
)

# %%
display.findings(findings, actions, lang=lang)

# %%
display.kpi_tiles(
    tiers.tier_kpis(value, concentration, value_column=value_column, lang=lang, currency=currency, lifetime=lifetime),
    lang=lang,
    previous=previous_kpis,
)

# %%
Markdown(f"## {t('nb_tiers.pyramid_heading', lang)}")

# %%
tiers.pyramid_figure(summary, lang=lang).show()

# %%
show_result(summary, lang=lang, currency=currency)

# %%
Markdown(f"## {t('nb_tiers.pareto_heading', lang)}")

# %%
tiers.lorenz_figure(concentration, lang=lang).show()

# %%
Markdown(f"## {t('nb_tiers.rfm_heading', lang)}")

# %%
tiers.rfm_figure(scores, lang=lang).show()

# %%
show_result(segments, lang=lang, currency=currency)

# %%
Markdown(
    f"## {t('nb_tiers.clv_heading', lang)}\n\n"
    + (fitted.reason or t("nb_tiers.clv_intro", lang, cal=f"{fitted.calibration_end:%Y-%m-%d}"))
)

# %%
clv.tracking_figure(
    clv.tracking(source.history, fitted.bgnbd, fitted.calibration_end, fitted.observation_end), lang=lang
).show() if lifetime is not None else None

# %%
clv.clv_distribution_figure(lifetime, lang=lang, currency=currency).show() if lifetime is not None else None

# %%
Markdown(
    f"### {t('nb_tiers.top_customers', lang)}\n\n"
    + (t("nb_tiers.clv_interval_note", lang, n=clv_draws) if clv_draws else "")
) if lifetime is not None else None

# %%
show_result(lifetime.head(10), lang=lang, currency=currency, mask=mask) if lifetime is not None else None

# %%
show_result(
    tiers.tier_summary(clv.clv_pyramid(lifetime, cuts=cuts, lang=lang), lang=lang), lang=lang, currency=currency
) if lifetime is not None else None

# %%
care = (
    tiers.care_plan(
        tiers.abc_tiers(value, value=value_column, lang=lang),
        programme=care_programme,
        budget_caps=care_caps or None,
        lang=lang,
    )
    if care_programme
    else None
)

# %%
Markdown(f"## {t('nb_tiers.care_heading', lang)}\n\n{t('pages.tiers.care_note', lang)}") if care is not None else None

# %%
show_result(tiers.care_budget(care, lang=lang), lang=lang, currency=currency) if care is not None else None

# %%
experiment = read_input(experiment_path, sheet=experiment_sheet) if experiment_path else None

# %%
uplift = (
    tiers.uplift_tree(experiment, treatment, response, experiment_features, random_state=random_state, lang=lang)
    if experiment is not None
    else None
)

# %%
Markdown(
    f"## {t('pages.tiers.experiment_heading', lang)}\n\n{t('nb_tiers.uplift_intro', lang)}"
) if uplift is not None else None

# %%
tiers.uplift_figure(uplift, lang=lang).show() if uplift is not None else None

# %%
show_result(uplift.leaves.drop(columns="leaf"), lang=lang) if uplift is not None else None

# %%
Markdown(
    f"## {t('pages.problems_heading', lang)} ({len(source.problems)})\n\n{t('pages.problems_summary_note', lang) if len(source.problems) else t('problem.none', lang)}"
)

# %%
display.show_table(problem_summary(source.problems, lang), lang=lang, labels=problem_labels(lang)) if len(
    source.problems
) else None

# %% tags=["appendix"]
Markdown(
    f"### {t('pages.tiers.params', lang)}\n\n{t('pages.tiers.params_read', lang)} {tiers.clv_reading(fitted.bgnbd.summary(), fitted.spend.summary(), lang=lang)}"
) if lifetime is not None else None

# %% tags=["appendix"]
show_result(fitted.bgnbd.summary(), lang=lang) if lifetime is not None else None

# %% tags=["appendix"]
show_result(fitted.spend.summary(), lang=lang) if lifetime is not None else None

# %% tags=["appendix"]
Markdown(
    f"### {t('pages.tiers.experiment_heading', lang)}\n\n{t('pages.tiers.balance_read', lang)}"
) if uplift is not None else None

# %% tags=["appendix"]
show_result(uplift.balance.drop(columns="feature"), lang=lang) if uplift is not None else None

# %% tags=["appendix"]
Markdown(f"{t('pages.tiers.tree_read', lang)}\n\n```text\n{uplift.rules}\n```") if uplift is not None else None

# %% tags=["appendix"]
Markdown(f"### {t('pages.problems_all', lang)}\n\n{t('pages.problems_read', lang)}") if len(source.problems) else None

# %% tags=["appendix"]
display.show_table(
    problem_table(source.problems, lang), lang=lang, labels=problem_labels(lang), kinds={"id": "id", "value": "text"}
) if len(source.problems) else None
