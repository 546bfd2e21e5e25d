# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["report-hide"]
# # 数据概览 · Data overview
#
# 从一个交易数据文件出发：读入、校验、列出数据问题，再给出主要指标和两张交互图表。
# From one transaction file: read it, validate it, list the data problems, then show the
# headline figures and two interactive charts.
#
# Parameters: `data_path` (a CSV / Excel / SPSS / Parquet file with `customer_id, date, amount`
# and optionally `quantity`; `""` = the bundled CDNOW sample), `lang` (`"zh"` or `"en"`),
# `title`, `period` (`"YYYY-MM"` or `"YYYY"`; `""` = all data).
# Every heading and label of the report comes from `csworkbench.i18n` in the language `lang`
# (this note is tagged `report-hide` and stays out of the published page).

# %% tags=["parameters"]
data_path = ""
lang = "zh"
title = ""
period = ""

# %%
from IPython.display import Markdown

from csworkbench import config
from csworkbench.i18n import t
from csworkbench.io import read_table
from csworkbench.reporting import overview
from csworkbench.schema import validate_transactions

# %%
Markdown(t("reporting.overview.intro", lang))

# %%
Markdown(f"## 1. {t('reporting.overview.data_heading', lang)}")

# %%
source = data_path or str(config.RAW_DIR / "transactions" / "cdnow_sample.csv")

# %%
raw = read_table(source)

# %%
clean, problems = validate_transactions(raw, quantity="quantity" if "quantity" in raw.columns else None, path=source)

# %%
Markdown(f"**{t('report.data_problems', lang)}** ({len(problems)})")

# %%
overview.problem_view(problems, lang)

# %%
data = overview.filter_period(clean, period)

# %%
Markdown(f"## 2. {t('reporting.overview.headline', lang)}")

# %%
overview.headline_view(data, lang)

# %%
Markdown(f"## 3. {t('reporting.overview.charts_heading', lang)}")

# %%
monthly = overview.monthly_revenue(data)

# %%
overview.monthly_revenue_figure(monthly, lang).show()

# %%
per_customer = overview.customer_revenue(data)

# %%
overview.customer_revenue_figure(per_customer, lang).show()
