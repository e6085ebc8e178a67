"""Method and sources: how RAG, tolerance, polarity and direction are computed, and where figures come from."""
import pandas as pd
import streamlit as st

from dashboard.parsing.dues import OVERDUE_RULE
from dashboard.parsing.statuses import SCALE
from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading.efficiency_position import CASHABLE_SHARE_RULE
from dashboard.rules.assessment import (
    BAND_EXAMPLE,
    BASIS_WORDS,
    EXAMPLES as ASSESSMENT_EXAMPLES,
    RULES,
    assess_indicator,
)
from dashboard.rules.rag import DEFAULT_TOLERANCE, POLARITY_WORDS, indicator_rag, rule_in_words
from dashboard.rules.travel import direction_of_travel
from dashboard.store import queries
from dashboard.ui import downloads, render, url_state
from dashboard.ui.data import frame, source_lines

st.title("Method and sources")

st.header("Indicator assessment")
st.markdown("Each indicator gets one verdict, from the first of these rules (in this order) that applies to its "
            "latest actual. The rule's name is stated beside every verdict on every page and in the "
            "`v_indicator_assessment` export.")
st.table(pd.DataFrame([{"Order": n, "Rule": rule.title, "Gives": BASIS_WORDS[rule.basis], "How": rule.words}
                       for n, rule in enumerate(RULES, start=1)]).set_index("Order"))
st.subheader("Worked examples (computed now by the same code)")
for periods, polarity, unit in ASSESSMENT_EXAMPLES:
    verdict = assess_indicator(list(periods), [], polarity, None, unit)
    st.markdown(f"- {render.status_badge(verdict.status)} {render.plain(verdict.explanation)}")
band_periods, band_comparators, band_polarity, band_unit = BAND_EXAMPLE
verdict = assess_indicator(list(band_periods), list(band_comparators), band_polarity, None, band_unit)
st.markdown(f"- A published measure: {render.status_badge(verdict.status)} {render.plain(verdict.explanation)}")

st.header("Indicator RAG (measured verdicts)")
st.markdown("\n".join(f"- {line}" for line in rule_in_words(DEFAULT_TOLERANCE)))
st.subheader("Worked examples (computed now by the same code)")
for actual, target, polarity, unit in ((61.9, 65, "higher", "percent"), (12, 10, "lower", "number"),
                                       (9.8, 10, "lower", "number"), (50, None, "higher", "percent")):
    result = indicator_rag(actual, target, polarity, None, unit)
    st.markdown(f"- actual {actual}, target {target}, {POLARITY_WORDS[polarity]} → "
                f"{render.status_badge(result.status)} {result.explanation}")

st.header("Polarity")
st.markdown("\n".join(f"- **{key}**: {words}" for key, words in POLARITY_WORDS.items()))
st.markdown("Each indicator's polarity is recorded with its basis: stated by the document, or following from the "
            "indicator's definition (for example, fewer placement moves is better).")

st.header("Direction of travel")
st.markdown("The latest actual is compared with the one before it. A rise is *improving* when higher is better "
            "and *worsening* when lower is better; the dashboard never says just 'up' or 'down'.")
st.markdown(f"- Example: {direction_of_travel(13, 8, 'lower', '97/98', '99/00').explanation}")

st.header("Action status scale")
st.markdown(" → ".join(STATUS_LABELS[s.key] for s in SCALE if s.rank is not None)
            + ". **Not assessed** sits outside the scale: an item with no status is never red and never green, and "
              "it is left out of every percentage.")
st.markdown("An item's status on the 'as at' date is the latest status reported on or before that date; "
            "'days at status' counts from the date the status took effect (never before it: a status dated after "
            f"its report is flagged instead). {OVERDUE_RULE[0].upper()}{OVERDUE_RULE[1:]}. Past its deadline with "
            "**no status reported** is shown as such, not as overdue. Where the document reads two ways (a typo date, "
            "a claim its own text contradicts), the item carries a **reading flag** with both readings and their "
            "lines.")

st.header("Efficiency")
st.markdown(f"Gains are summed from the statement's detail lines (£000). Cumulative = brought forward + the year's "
            f"gains; surplus or shortfall = cumulative − required. At least {CASHABLE_SHARE_RULE:.0%} of gains "
            "must be cashable.")

st.header("Sources")
st.markdown("Every figure carries its source: the document and line for the embedded data, or the upload and row "
            "for officers' refreshes. The embedded documents:")
downloads.table(frame(queries.documents_list), "Source documents", "documents", hide_index=True)

st.subheader("Read a cited line")
st.caption("Every table's Source column says 'document 002, line 313'. Pick the document and line to read it here.")
documents = frame(queries.documents_list)
cols = st.columns([2, 1])
doc_ids = documents["Document"].tolist()
doc = cols[0].selectbox("Document", doc_ids, key="source_doc",
                        index=doc_ids.index(url_state.initial("doc", doc_ids[0], doc_ids)),
                        format_func=dict(zip(documents["Document"], documents["Document"] + " " + documents["Title"])).get)
line = cols[1].number_input("Line", min_value=1, value=max(1, url_state.initial("line", 1)), step=1,
                            key="source_line")
url_state.remember("doc", None if doc == doc_ids[0] else doc)
url_state.remember("line", None if int(line) == 1 else int(line))
st.code(source_lines(doc, int(line)) or "This document has no such line.", language=None, wrap_lines=True)
