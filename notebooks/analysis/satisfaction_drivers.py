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
# # 顾客满意驱动因素 · Satisfaction drivers
#
# 哪些因素驱动顾客满意？摘要（发现、关键指标、建议行动）在前；相对权重、PLS 路径模型与重要性–绩效图
# 在后；测量模型、HTMT、VIF 与自助法设置在附录。参数说明见参数单元格中的注释。

# %% tags=["parameters"]
# your survey file (CSV/Excel/Parquet, one row per respondent); "" = the bundled data of the model
data_path = ""
# Excel: sheet name or 0-based number; "" = the first sheet
sheet = ""
# "ecsi", "acsi", your own model as a mapping {blocks, paths, modes}, or the path of a YAML file holding one
model = "ecsi"
# a construct of the model (scored as the mean of its items) or a column of the data
target = "SAT"
# drivers; [] = the constructs with a path into target
predictors = []
# "ols" / "ordinal" (key-driver regression, appendix)
method = "ols"
scheme = "centroid"
scaled = False
# bootstrap resamples
n_boot = 200
# the construct of the importance–performance map
ipma_target = "LOY"
# answer scale; None = observed
scale_min = None
scale_max = None
# "", 2026, 2026-Q3 or 2026-10 — interview dates in column `date` (csworkbench.periods)
period = ""
# compare the target's 0–100 index across the levels of this column; "" = no comparison
segment_column = ""
# the segment every other is compared with; "" = each against the rest (two segments: the first)
segment_reference = ""
# segments with fewer respondents are listed and not compared
segment_min_n = 30
# a column of case weights (sampling weights); "" = unweighted
weights = ""
random_state = 1
# True in JupyterLab: a widget panel to switch target and method (never in a report)
interactive = False
lang = "zh"
title = ""
# filled by the batch runner: last period's key figures (JSON)
previous_kpis = ""

# %%
from html import escape
from pathlib import Path

import yaml
from IPython.display import Markdown

from csworkbench.datasets import load_ecsi, load_mobi
from csworkbench.drivers import (
    column_labels,
    composite_scores,
    construct_name,
    dominance,
    driver_explorer,
    drivers_summary,
    glossary,
    importance_figure,
    key_drivers,
    label_values,
    relative_weights,
    segment_index,
)
from csworkbench.gaps import select_answers
from csworkbench.gaps.reshape import RESPONDENT_COLUMNS, find_respondent_column
from csworkbench.i18n import t
from csworkbench.periods import Period
from csworkbench.plots import ci_bar_figure
from csworkbench.pls import PLSPM, check_indicators, ipma_figure, model_spec, path_model_figure
from csworkbench.problems import localize
from csworkbench.reporting.display import findings, kpi_tiles, provenance, show_table
from csworkbench.reporting.result_tables import markdown_text
from csworkbench.reporting.inputs import cite_ids, problem_summary, read_input
from csworkbench.schema import validate_survey

# %%
spec = model_spec(
    yaml.safe_load(Path(model).read_text(encoding="utf-8")) if str(model).endswith((".yml", ".yaml")) else model
)

# %%
raw = (
    read_input(data_path, sheet=sheet, id_columns=list(RESPONDENT_COLUMNS))
    if data_path
    else (load_mobi() if model == "acsi" else load_ecsi())
)
check_indicators(spec, raw.columns)
data, found = validate_survey(
    select_answers(raw, period=period),
    id_column=find_respondent_column(raw.columns),
    items=[c for b in spec["blocks"].values() for c in b],
    scale=(float("-inf") if scale_min is None else scale_min, float("inf") if scale_max is None else scale_max),
)
problems = cite_ids(found, raw, find_respondent_column(raw.columns) or "")
dated = "date" in raw.columns

# %%
composites = composite_scores(data, spec["blocks"])
analysis_data = (composites if target in composites.columns else data).assign(
    **({weights: data[weights]} if weights and target in composites.columns else {})
)
drivers = list(predictors) or [source for source, end in spec["inner"] if end == target]

# %%
regression = key_drivers(analysis_data, target, drivers, method=method, weights=weights or None)
importances = relative_weights(
    analysis_data, target, drivers, n_boot=n_boot, random_state=random_state, weights=weights or None
)
shapley = dominance(analysis_data, target, drivers, n_boot=n_boot, random_state=random_state, weights=weights or None)

# %%
pls_model = PLSPM(**spec, scheme=scheme, scaled=scaled).fit(data)
bootstrap = pls_model.bootstrap(n_boot=n_boot, random_state=random_state, progress=False)
ipma = pls_model.ipma(ipma_target, scale_min=scale_min, scale_max=scale_max)

# %%
summary = drivers_summary(
    importances,
    pls_model,
    bootstrap,
    ipma,
    composites[target] if target in composites.columns else data[target],
    lang=lang,
    scale=None if scale_min is None or scale_max is None else (scale_min, scale_max),
)
names = {c: construct_name(c, lang) for c in [*spec["blocks"], *drivers]}
segments = (
    segment_index(
        data.assign(target_score=composites[target] if target in composites.columns else data[target]),
        score="target_score",
        segment=segment_column,
        target=construct_name(target, lang),
        reference=segment_reference or None,
        weights=weights or None,
        scale=None if scale_min is None or scale_max is None else (scale_min, scale_max),
        min_n=segment_min_n,
        lang=lang,
    )
    if segment_column
    else None
)

# %%
Markdown(f"# {markdown_text(title) or t('drivers.nb.title', lang)}")

# %%
provenance(
    lang=lang,
    data=None if data_path else t("drv.synthetic", lang),
    path=data_path or None,
    period=Period.parse(period if dated else "").label(lang),
    n=len(data),
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
    summary.actions + [t("drv.rule", lang)],
    lang=lang,
)

# %%
Markdown(t("drv.seg.weights_scope", lang)) if weights else None

# %%
Markdown(f"## {t('drv.h.weights', lang)}\n\n{t('drv.h.weights_read', lang)}")

# %%
importance_figure(importances, lang=lang, labels=names, title=summary.titles["weights"]).show()

# %%
Markdown(f"## {t('drv.h.pls', lang)}\n\n{t('drv.h.pls_read', lang)}")

# %%
path_model_figure(pls_model, bootstrap=bootstrap, lang=lang, title=summary.titles.get("path")).show()

# %%
Markdown(f"## {t('drv.h.ipma', lang)}\n\n{t('drv.h.ipma_read', lang)}")

# %%
ipma_figure(ipma, lang=lang, title=summary.titles.get("ipma")).show()

# %%
show_table(
    label_values(ipma.table.drop(columns="importance_std"), lang),
    lang=lang,
    labels=column_labels(ipma.table, lang),
)

# %%
Markdown(f"## {t('sq.h.segments', lang)}\n\n" + " ".join(segments.notes)) if segments is not None else None

# %%
ci_bar_figure(
    segments.bars,
    "segment",
    "estimate",
    "ci_low",
    "ci_high",
    title=segments.title,
    labels=segments.labels,
).update_layout(modebar_remove=["lasso2d", "select2d"]).show() if segments is not None else None

# %%
Markdown("\n".join(f"- {escape(str(f))}" for f in segments.findings)) if segments is not None else None

# %%
show_table(
    segments.table, lang=lang, labels=segments.labels, kinds={"p_adjusted": "p_value", "significant": "bool"}
) if segments is not None else None

# %%
Markdown(f"## {t('sq.h.problems', lang)} ({len(problems)})") if len(problems) else None

# %%
show_table(
    problem_summary(problems, lang),
    lang=lang,
    labels={"count": t("problem.count", lang), "examples": t("problem.examples", lang)},
) if len(problems) else None

# %% tags=["remove-cell"]
driver_explorer(
    composites, [target, ipma_target], list(composites.columns), lang=lang, n_boot=n_boot, random_state=random_state
) if interactive else None

# %% tags=["appendix"]
Markdown(f"### {t('drv.app.regression', lang)}\n\n{t('drv.app.regression_read', lang)}")

# %% tags=["appendix"]
show_table(label_values(regression.coefficients, lang), lang=lang, labels=column_labels(regression.coefficients, lang))

# %% tags=["appendix"]
Markdown(f"### {t('drv.app.shapley', lang)}\n\n{t('drv.app.shapley_read', lang)} R² = {shapley.r2:.3f}")

# %% tags=["appendix"]
show_table(
    label_values(shapley.general.drop(columns="error_bound", errors="ignore"), lang),
    lang=lang,
    labels=column_labels(shapley.general, lang),
    kinds={"share": "decimal"},
)

# %% tags=["appendix"]
Markdown(
    f"### {t('drv.app.paths', lang)}\n\n{t('drv.app.paths_read', lang)} {t('drv.app.boot', lang, n=n_boot, seed=random_state)}"
)

# %% tags=["appendix"]
show_table(
    label_values(bootstrap.summary().drop(columns="boot_mean"), lang),
    lang=lang,
    labels=column_labels(bootstrap.summary(), lang),
)

# %% tags=["appendix"]
Markdown(f"### {t('drv.app.quality', lang)}\n\n{t('drv.app.quality_read', lang)}")

# %% tags=["appendix"]
show_table(
    label_values(
        pls_model.quality_[["construct", "mode", "n_indicators", "cronbach_alpha", "rho_a", "rho_c", "ave", "r2"]], lang
    ),
    lang=lang,
    labels=column_labels(pls_model.quality_, lang),
)

# %% tags=["appendix"]
Markdown(f"### {t('drv.app.loadings', lang)}\n\n{t('drv.app.loadings_read', lang)}")

# %% tags=["appendix"]
show_table(label_values(pls_model.outer_, lang), lang=lang, labels=column_labels(pls_model.outer_, lang))

# %% tags=["appendix"]
Markdown(f"### {t('drv.app.htmt', lang)}\n\n{t('drv.app.htmt_read', lang)}")

# %% tags=["appendix"]
show_table(
    label_values(
        bootstrap.htmt.drop(columns="boot_mean").assign(
            above_085=bootstrap.htmt["estimate"] > 0.85, above_090=bootstrap.htmt["estimate"] > 0.90
        ),
        lang,
    ),
    lang=lang,
    labels={
        **column_labels(bootstrap.htmt, lang),
        "above_085": t("drv.col.above_085", lang),
        "above_090": t("drv.col.above_090", lang),
    },
)

# %% tags=["appendix"]
Markdown(f"### {t('drv.app.vif', lang)}\n\n{t('drv.app.vif_read', lang)}")

# %% tags=["appendix"]
show_table(
    label_values(pls_model.vif_inner_.merge(pls_model.f2_, on=["source", "target"]), lang),
    lang=lang,
    labels=column_labels(pls_model.vif_inner_.merge(pls_model.f2_, on=["source", "target"]), lang),
)

# %% tags=["appendix"]
Markdown(f"### {t('drv.glossary', lang)}\n\n{t('drv.glossary.note', lang)}") if len(
    glossary(list(spec["blocks"]), lang)
) else None

# %% tags=["appendix"]
show_table(
    glossary(list(spec["blocks"]), lang),
    lang=lang,
    labels={"abbreviation": t("drv.glossary", lang), "label": t("drivers.col.construct", lang)},
    download=False,
) if len(glossary(list(spec["blocks"]), lang)) else None

# %% tags=["appendix"]
Markdown(f"### {t('sq.app.problems', lang)}") if len(problems) else None

# %% tags=["appendix"]
show_table(
    localize(problems, lang)[["id", "row", "column", "value", "problem", "action"]],
    lang=lang,
    kinds={"id": "id", "row": "count"},
    labels={"value": t("problem.value", lang)},
) if len(problems) else None
