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

# %%
label_columns(pls_model.summary(), lang).round(3)

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
driver_explorer(composites, [target, ipma_target], list(composites.columns), lang=lang, n_boot=n_boot,
                random_state=random_state) if interactive else None
