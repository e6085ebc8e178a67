"""How we compare: a council's published national statistics beside England, its region and its statistical
neighbours, with the bottom quartile and worsening one click away."""
import streamlit as st

from dashboard.reading import compare
from dashboard.store import queries
from dashboard.ui import downloads, render, url_state
from dashboard.ui.data import comparators_figure, compare_measures, compare_notes, compare_series, frame, spread_figure

ALL_TOPICS = "All topics"

sel = st.session_state["selection"]
st.title("How we compare")
councils = frame(queries.benchmark_councils)
if councils.empty:
    st.info("No published national statistics are loaded yet. An officer loads the Department for Education's LAIT "
            "files or Explore Education Statistics tidy CSVs on the Upload data page (Published national "
            "statistics) or with `python -m dashboard import-published`.")
    st.stop()

ids = councils["organisation_id"].tolist()
names = dict(zip(ids, councils["name"]))
# The sidebar's council when it has published figures; any council with published figures may be chosen here.
default = sel.organisation_id if sel.organisation_id in ids else ids[0]
org = st.selectbox("Council", ids, format_func=names.get, key=f"peer:{sel.organisation_id}",
                   index=ids.index(url_state.initial("peer", default, ids)),
                   help="Any council with published figures; the sidebar's council is chosen first.")
url_state.remember("peer", None if org == sel.organisation_id else org)
council = names[org]
if sel.organisation_id not in ids:
    st.caption(f"{render.plain(sel.organisation_name)} has no published national figures; choose a council above.")

lines, model_words = compare_notes(org)
table = compare_measures(org)
st.caption(" ".join(render.plain(line) for line in lines))
st.caption(render.plain(model_words))

bottom = compare.bottom_and_worsening(table)
cols = st.columns(3)
cols[0].metric("Published measures", f"{len(table):,}")
cols[1].metric("In the worst quarter (band D)", f"{(table['quartile_band'] == compare.BOTTOM).sum():,}")
cols[2].metric("Worst quarter and worsening", f"{len(bottom):,}")

topics = [ALL_TOPICS] + sorted(table["topic"].dropna().unique())
left, right = st.columns([2, 3])
topic = left.selectbox("Topic", topics, key="compare_topic",
                       index=topics.index(url_state.initial("topic", ALL_TOPICS, topics)))
url_state.remember("topic", None if topic == ALL_TOPICS else topic)
worse = right.toggle("Bottom quartile and worsening", key="compare_worse",
                     value=bool(url_state.initial("worse", False)),
                     help="Only the measures in the worst quarter of councils (band D) and worse than the period "
                          "before.")
url_state.remember("worse", worse)

rows = table if topic == ALL_TOPICS else table[table["topic"] == topic]
if worse:
    rows = compare.bottom_and_worsening(rows)
    st.markdown(render.bullets(render.plain(line) for line in compare.worsening_in_words(rows, council)))

# The band's words whole ("D (worst quarter)"), the comparators still on a laptop's screen.
downloads.table(compare.measures_table(rows, council), f"How we compare {council}", "compare-measures", notes=lines,
                hide_index=True, column_config={"Band": st.column_config.TextColumn("Band", width=125)})
if rows.empty:
    st.info("No measure matches these choices.")
    st.stop()

st.header("One measure")
codes = rows["indicator_code"].tolist()
labels = dict(zip(rows["indicator_code"], rows["indicator_name"] + " (" + rows["topic"].fillna("") + ")"))
code = st.selectbox(f"Measure ({len(codes)})", codes, format_func=labels.get, key="compare_measure",
                    index=codes.index(url_state.initial("measure", codes[0], codes)))
url_state.remember("measure", code)
row = rows.set_index("indicator_code").loc[code]
st.markdown(render.plain(compare.in_words(row)))

series = compare_series(org, code)
downloads.figure(comparators_figure(org, code, council, row["indicator_name"], row["unit"], row["polarity"],
                                    row["decimals"], whole_council=True), key="compare-over-time")
st.caption(render.plain(compare.series_in_words(series, council, row["indicator_name"], row["decimals"])))
with st.expander("The figures over time"):
    downloads.table(compare.series_table(series, council, row["decimals"]),
                    f"{row['indicator_name']} {council} over time", "compare-series", notes=lines, hide_index=True)

spread = frame(queries.benchmark_spread, code, row["period_start"], row["period_end"])
downloads.figure(spread_figure(org, code, row["period_start"], row["period_end"], council, row["indicator_name"],
                               row["period"], row["unit"], row["polarity"], row["england"], row["decimals"]),
                 key="compare-spread")
st.caption(render.plain(compare.spread_in_words(spread, org, council, row["indicator_name"], row["period"],
                                                row["polarity"], row["decimals"])))
with st.expander(f"Every council, {row['period']}"):
    downloads.table(spread.rename(columns={"name": "Council", "value": row["indicator_name"],
                                           "value_text": "Marker"}).drop(columns="organisation_id"),
                    f"{row['indicator_name']} all councils {row['period']}", "compare-spread-table", notes=lines,
                    hide_index=True)
