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
# 从交易数据出发：客户金字塔、帕累托/洛伦兹曲线、RFM 细分、BG/NBD + Gamma-Gamma 客户终身价值、
# ABC 客户关怀预算，以及银行决策树实验（实验组与对照组）。
# From a transaction log: the customer pyramid, the Pareto/Lorenz curve, RFM segments, BG/NBD +
# Gamma-Gamma lifetime value, the ABC care budget, and the bank decision-tree experiment
# (experiment vs control group). COURSE.md §3.
#
# Parameters: `data_path` (CSV / Excel / Parquet with `customer_id, date, amount`; `""` = the
# bundled CDNOW sample), `value_column` (`revenue` or `margin`), `margin_rate` (share of revenue
# that is margin, used when `value_column = "margin"` and for CLV), `cuts` (pyramid shares from
# the top), `calibration_end`, `observation_end` (`""` = last date), `horizon_months`,
# `annual_discount_rate`, `clv_draws` (parameter draws for the CLV intervals; 0 = none), `bank_path` (`""` = synthetic bank customers, `bank_n` of them),
# `mask` (customer ids that are mobile, ID-card or bank-card numbers are masked), `lang`, `title`.
# Every label comes from `csworkbench.i18n` in the language `lang`.

# %% tags=["parameters"]
data_path = ""
value_column = "revenue"
margin_rate = 1.0
cuts = [0.01, 0.04, 0.15, 0.80]
calibration_end = "1997-09-30"
observation_end = ""
horizon_months = 12
annual_discount_rate = 0.10
clv_draws = 200
bank_path = ""
bank_n = 20000
bank_features = ["age", "salary", "owns_car", "children", "married", "liquid_assets", "pays_on_time"]
random_state = 0
mask = True
lang = "zh"
title = ""

# %%
from html import escape

from IPython.display import Markdown

from csworkbench import clv, tiers
from csworkbench.datasets import load_cdnow
from csworkbench.datasets.transactions import make_bank_customers
from csworkbench.i18n import labels, t
from csworkbench.io import read_table

# %%
Markdown(f"# {escape(title) or t('nb_tiers.title', lang)}")

# %%
Markdown(t("nb_tiers.intro", lang))

# %%
transactions = read_table(data_path) if data_path else load_cdnow(sample=True)

# %%
value = tiers.customer_value(transactions, margin_rate=margin_rate if value_column == "margin" else None)

# %%
Markdown(f"## 1. {t('nb_tiers.pyramid_heading', lang)}")

# %%
pyramid = tiers.customer_pyramid(value, cuts=cuts, value=value_column, lang=lang)

# %%
tiers.pyramid_figure(pyramid, lang=lang).show()

# %%
tiers.display_table(tiers.tier_summary(pyramid, lang=lang), lang)

# %%
Markdown(f"## 2. {t('nb_tiers.pareto_heading', lang)}")

# %%
concentration = tiers.lorenz(value, value=value_column, negative="zero")

# %%
tiers.lorenz_figure(concentration, lang=lang).show()

# %%
tiers.display_table(concentration.summary(lang), lang)

# %%
Markdown(f"## 3. {t('nb_tiers.rfm_heading', lang)}")

# %%
scores = tiers.rfm(value, lang=lang)

# %%
tiers.rfm_figure(scores, lang=lang).show()

# %%
tiers.display_table(tiers.rfm_summary(scores, lang=lang), lang)

# %%
Markdown(f"## 4. {t('nb_tiers.clv_heading', lang)}")

# %%
Markdown(t("nb_tiers.clv_intro", lang, cal=calibration_end))

# %%
calibration = clv.summary_from_transactions(transactions, calibration_end, observation_end or None)

# %%
bgnbd = clv.BetaGeoModel().fit(calibration)

# %%
tiers.display_table(bgnbd.summary(), lang)

# %%
spend = clv.GammaGammaModel().fit(calibration)

# %%
tiers.display_table(spend.summary(), lang)

# %%
Markdown(f"### {t('nb_tiers.tracking_heading', lang)}")

# %%
clv.tracking_figure(clv.tracking(transactions, bgnbd, calibration_end, observation_end or None), lang=lang).show()

# %%
current = clv.summary_from_transactions(transactions, observation_end or None, observation_end or None)

# %%
lifetime = clv.clv(current, bgnbd, spend, horizon_months=horizon_months, annual_discount_rate=annual_discount_rate,
                   margin=margin_rate, n_draws=clv_draws, random_state=random_state)

# %%
clv.clv_distribution_figure(lifetime, lang=lang).show()

# %%
Markdown(f"### {t('nb_tiers.top_customers', lang)}")

# %%
Markdown(t("nb_tiers.clv_interval_note", lang, n=clv_draws)) if clv_draws else None

# %%
tiers.display_table(lifetime.head(10), lang, mask=mask)

# %%
tiers.display_table(tiers.tier_summary(clv.clv_pyramid(lifetime, cuts=cuts, lang=lang), lang=lang), lang)

# %%
Markdown(f"## 5. {t('nb_tiers.care_heading', lang)}")

# %%
care = tiers.care_plan(tiers.abc_tiers(value, value=value_column, lang=lang), lang=lang)

# %%
tiers.display_table(tiers.care_budget(care, lang=lang), lang)

# %%
Markdown(f"## 6. {t('nb_tiers.uplift_heading', lang)}")

# %%
Markdown(t("nb_tiers.uplift_intro", lang))

# %%
bank = read_table(bank_path) if bank_path else make_bank_customers(bank_n, random_state=random_state)

# %%
uplift = tiers.uplift_tree(bank, "treatment", "response", bank_features, random_state=random_state,
                           feature_labels=labels(bank_features, lang, prefix="bank."), lang=lang)

# %%
tiers.display_table(uplift.balance.drop(columns="feature"), lang)

# %%
print(uplift.rules)

# %%
tiers.display_table(uplift.leaves.drop(columns="leaf"), lang)

# %%
tiers.uplift_figure(uplift, lang=lang).show()
