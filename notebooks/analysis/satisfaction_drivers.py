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

# %% [markdown]
# # 顾客满意驱动因素 · Satisfaction drivers
#
# 哪些因素驱动顾客满意（顾客满意度研究模型）？回归、相对权重与 Shapley 值比较驱动因素；
# PLS 路径模型估计 ECSI/ACSI 因果链；重要性-绩效图指出最值得改进的因素。
# Which factors drive satisfaction? Regression, relative weights and Shapley values rank the
# drivers; a PLS path model estimates the ECSI/ACSI chain; the importance–performance map shows
# where improvement pays most.
#
# Parameters: `data_path` (survey file with the model's item columns; `""` = the bundled data of
# the model: ECSI bank survey for `"ecsi"`, mobile-phone survey for `"acsi"`), `model`
# (`"ecsi"` / `"acsi"`), `target` (a construct of the model, scored as the mean of its items, or
# a column of the data), `predictors` (`[]` = the constructs with a path into `target`),
# `method` (`"ols"` / `"ordinal"`), `scheme`, `scaled`, `n_boot` (bootstrap resamples),
# `ipma_target`, `scale_min` / `scale_max` (answer scale; `None` = observed), `random_state`,
# `interactive` (`True`: a widget panel to switch target and method, for JupyterLab),
# `lang` (`"zh"` / `"en"`), `title`.

# %% tags=["parameters"]
data_path = ""
model = "ecsi"
target = "SAT"
predictors = []
method = "ols"
scheme = "centroid"
scaled = False
n_boot = 200
ipma_target = "LOY"
scale_min = None
scale_max = None
random_state = 1
interactive = False
lang = "zh"
title = ""

# %%
from html import escape

from IPython.display import Markdown

from csworkbench.datasets import load_ecsi, load_mobi
from csworkbench.drivers import (
    composite_scores,
    dominance,
    driver_explorer,
    importance_figure,
    key_drivers,
    label_columns,
    relative_weights,
)
from csworkbench.i18n import t
from csworkbench.io import read_table
from csworkbench.pls import PLSPM, ipma_figure, path_model_figure, standard_model

# %%
Markdown(f"# {escape(title) or t('drivers.nb.title', lang)}\n\n{t('drivers.nb.intro', lang)}")

# %% [markdown]
# ## 1. 数据与模型 · Data and model

# %%
spec = standard_model(model)

# %%
data = read_table(data_path) if data_path else (load_ecsi() if model == "ecsi" else load_mobi())

# %%
composites = composite_scores(data, spec["blocks"])

# %%
analysis_data = composites if target in composites.columns else data

# %%
drivers = list(predictors) or [source for source, end in spec["inner"] if end == target]

# %%
Markdown(f"**{t('drivers.col.target', lang)}**: {escape(str(target))} · **{t('drivers.col.predictor', lang)}**: {escape(', '.join(map(str, drivers)))} · n = {len(data)}")

# %% [markdown]
# ## 2. 关键驱动因素回归 · Key-driver regression
#
# 标准化系数（OLS，HC3 稳健标准误）或有序 logit；VIF 大于 5 提示共线性。
# Standardised coefficients (OLS with HC3 robust standard errors) or ordered logit; a VIF above
# 5 signals collinearity.

# %%
regression = key_drivers(analysis_data, target, drivers, method=method)

# %%
label_columns(regression.coefficients, lang).round(3)

# %% [markdown]
# ## 3. 相对权重与 Shapley 值 · Relative weights and Shapley values

# %%
weights = relative_weights(analysis_data, target, drivers, n_boot=n_boot, random_state=random_state)

# %%
label_columns(weights.weights, lang).round(3)

# %%
importance_figure(weights, lang=lang).show()

# %%
shapley = dominance(analysis_data, target, drivers, n_boot=n_boot, random_state=random_state)

# %%
Markdown(t("drivers.nb.dominance_note", lang) + f" R² = {shapley.r2:.3f}")

# %%
label_columns(shapley.general, lang).round(3)

# %%
importance_figure(shapley, value="share", lang=lang).show()

# %% [markdown]
# ## 4. PLS 路径模型 · PLS path model

# %%
pls_model = PLSPM(**spec, scheme=scheme, scaled=scaled).fit(data)

# %%
bootstrap = pls_model.bootstrap(n_boot=n_boot, random_state=random_state, progress=False)

# %%
path_model_figure(pls_model, bootstrap=bootstrap, lang=lang).show()

# %% [markdown]
# OLS 推断（`_ols`，视潜变量得分为观测值）与自助法推断（`_boot`，PLS-SEM 通常报告的）分列。
# OLS inference on the scores (`_ols`) and bootstrap inference (`_boot`, what PLS-SEM papers
# report) in separate columns.

# %%
label_columns(pls_model.summary(bootstrap), lang).round(3)

# %%
label_columns(bootstrap.summary(), lang).round(3)

# %%
label_columns(pls_model.effects_, lang).round(3)

# %% [markdown]
# ## 5. 测量模型质量 · Measurement model quality
#
# α 与 DG ρ 高于 0.7、AVE 高于 0.5、HTMT 低于 0.85/0.90 为常用标准。
# Usual thresholds: α and DG ρ above 0.7, AVE above 0.5, HTMT below 0.85/0.90.

# %%
label_columns(pls_model.quality_, lang).round(3)

# %%
label_columns(pls_model.outer_, lang).round(3)

# %%
label_columns(pls_model.htmt_, lang).round(3)

# %% [markdown]
# ## 6. 重要性-绩效分析 · Importance–performance map

# %%
ipma = pls_model.ipma(ipma_target, scale_min=scale_min, scale_max=scale_max)

# %%
label_columns(ipma.table, lang).round(3)

# %%
ipma_figure(ipma, lang=lang).show()

# %% [markdown]
# ## 7. 交互探索 · Interactive exploration
#
# 在 JupyterLab 中设 `interactive = True`：用下拉菜单切换目标与方法。
# In JupyterLab set `interactive = True` to switch target and method from drop-downs.

# %%
driver_explorer(
    composites, [target, ipma_target], list(composites.columns), lang=lang, n_boot=n_boot, random_state=random_state
) if interactive else None


# %% [markdown]
# ## 附录 · Appendix: PLS-SEM 报告清单 · What a PLS-SEM write-up reports
#
# 信度与效度：α、ρA、ρC 高于 0.7，AVE 高于 0.5（`ok` 列为 True 即达标）；Fornell–Larcker 对角线
# （√AVE）应大于同行同列的相关；HTMT 低于 0.85（严格）或 0.90（宽松），其自助法上限同样。
# 区间来自第 4 节的自助法（`n_boot` 默认 200，为使笔记本几秒内跑完；正式报告用 5000 以上）。
# Reliability and validity: α, ρA, ρC above 0.7 and AVE above 0.5 (`ok` flags them);
# Fornell–Larcker diagonal (√AVE) above the correlations in its row and column; HTMT below 0.85
# (strict) or 0.90 (liberal), and so its bootstrap upper bound.  Intervals come from the bootstrap
# of section 4 (`n_boot` 200 by default to keep the notebook to a few seconds; use 5,000 or more
# for a paper).

# %%
reliability = pls_model.quality_[["construct", "mode", "cronbach_alpha", "rho_a", "rho_c", "dg_rho", "ave"]]
reliability = reliability.assign(
    ok=(reliability[["cronbach_alpha", "rho_a", "rho_c"]].min(axis=1) > 0.7) & (reliability["ave"] > 0.5)
)
label_columns(reliability, lang).round(3)

# %%
pls_model.fornell_larcker_.round(3)

# %%
htmt = bootstrap.htmt.drop(columns=["boot_mean"])
htmt = htmt.assign(above_085=htmt["ci_high"] >= 0.85, above_090=htmt["ci_high"] >= 0.90)
label_columns(htmt, lang).round(3)

# %% [markdown]
# 共线性（VIF 高于 5 需注意）、调整 R²、效应量 f²（0.02/0.15/0.35 小/中/大）与预测相关性：Q²（盲折，
# 省略距离 7）与 PLSpredict（10 折，PLS 的 RMSE 低于线性模型基准 LM 即有预测力）。
# Collinearity (VIF above 5), adjusted R², effect sizes f² (0.02/0.15/0.35 small/medium/large)
# and predictive relevance: Q² by blindfolding (omission distance 7) and PLSpredict (10 folds; PLS
# predicts well where its RMSE is below the linear-model benchmark LM).

# %%
label_columns(pls_model.vif_outer_, lang).round(3)

# %%
label_columns(pls_model.vif_inner_.merge(pls_model.f2_, on=["source", "target"]), lang).round(3)

# %%
label_columns(pls_model.blindfolding().merge(pls_model.r2_adj_.rename_axis("construct").reset_index()), lang).round(3)

# %%
label_columns(pls_model.pls_predict(k=10, n_repeats=1, random_state=random_state), lang).round(3)
