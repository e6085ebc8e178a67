"""Meeting mode: the presenter picks an agenda and steps through it one item per screen, by button or arrow key, in
large type without the sidebar; the link carries the agenda and the step."""
import streamlit as st

from dashboard.charts.efficiency import gains_bars
from dashboard.charts.layout import presented
from dashboard.charts.rag import status_bars
from dashboard.charts.trends import trend_figure
from dashboard.presenting import meeting
from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading import action_filters, efficiency_position, indicator_status
from dashboard.store import queries
from dashboard.ui import render, url_state
from dashboard.ui.data import frame, query

sel = st.session_state["selection"]
actions = frame(queries.actions_at, sel.plan_id, sel.as_at) if sel.plan_id else None
areas = {} if actions is None else dict(zip(actions["top_code"].astype(str), actions["top_title"]))
assessed = indicator_status.assess(frame(queries.indicator_positions, sel.organisation_id, sel.plan_id))
names = dict(zip(assessed["indicator_code"], assessed["name"]))
years = query(queries.efficiency_years, sel.organisation_id)
choices = meeting.options(list(areas), list(names), bool(years))
default = meeting.default_agenda(list(areas), assessed.loc[assessed["rag"] == "red", "indicator_code"].tolist(),
                                 bool(years))

# Mode and step are plain session values (changed by the buttons' callbacks), seeded from the link once.
if "meeting_mode" not in st.session_state:
    st.session_state["meeting_mode"] = url_state.initial("mode", "agenda", ["agenda", "present"])
    st.session_state["meeting_step"] = url_state.initial("step", 1)


def _go(mode: str, step: int) -> None:
    st.session_state["meeting_mode"] = mode
    st.session_state["meeting_step"] = step


if st.session_state["meeting_mode"] == "agenda":
    st.title("Meeting mode")
    st.markdown("Choose the agenda, then present it one item per screen. Move with the **Previous** and **Next** "
                "buttons or the **left and right arrow keys**; **Esc** ends the presentation. The link below opens "
                "this agenda at the item on screen.")
    agenda = st.multiselect("Agenda, in order", choices, default=url_state.initial("agenda", default, choices),
                            format_func=lambda i: meeting.title(i, areas, names), key="meeting_agenda")
    url_state.remember("agenda", agenda)
    url_state.remember("mode", None)
    url_state.remember("step", None)
    st.button("Start presenting", type="primary", disabled=not agenda, on_click=_go, args=("present", 1),
              icon=":material/slideshow:", key="meeting_start")
    st.stop()

agenda = url_state.initial("agenda", default, choices)
step = meeting.clamp(st.session_state["meeting_step"], len(agenda))
st.session_state["meeting_step"] = step
url_state.remember("agenda", agenda)
url_state.remember("mode", "present")
url_state.remember("step", step)

# Presenting: no sidebar, header or navigation; large type that stays legible when shared at 1366×768.
st.html("""<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"]
  { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 1rem 2rem; max-width: 100%; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.45rem; line-height: 1.45; }
[data-testid="stMain"] h1 { font-size: 2.3rem; padding-top: 0; }
</style>""")

if not agenda:
    st.title("Meeting mode")
    st.info("The agenda is empty.")
    st.button("Back to the agenda", on_click=_go, args=("agenda", 1), key="meeting_end")
    st.stop()

item_id = agenda[step - 1]
nav = st.columns([1, 4, 1, 1], vertical_alignment="center")
nav[0].button("Previous", icon=":material/arrow_back:", shortcut="Left", disabled=step == 1, on_click=_go,
              args=("present", step - 1), key="meeting_previous", width="stretch")
nav[1].markdown(f"**Item {step} of {len(agenda)}** · {render.plain(sel.organisation_name)} · "
                f"as at {sel.as_at:%d/%m/%Y}")
nav[2].button("Next", icon=":material/arrow_forward:", shortcut="Right", disabled=step == len(agenda),
              on_click=_go, args=("present", step + 1), key="meeting_next", width="stretch")
nav[3].button("End", icon=":material/close:", shortcut="Esc", on_click=_go, args=("agenda", step),
              key="meeting_end", width="stretch")

item = meeting.parse(item_id)
st.title(render.plain(meeting.title(item_id, areas, names)))
if item.kind == "area":
    rows = actions[actions["top_code"].astype(str) == item.ref]
    counts = action_filters.count_by_area(rows, "leaves")
    words = ", ".join(f"{int(n)} {STATUS_LABELS[s]}" for s, n in counts.groupby("status", sort=False)["items"].sum()
                      .items())
    st.markdown(f"**{int(counts['items'].sum())} items:** {words}.")
    left, right = st.columns([3, 2])
    with left:
        render.figure(presented(status_bars(counts, "Items by status")).update_layout(showlegend=False),
                      key="meeting-area", empty="This area has no items.")
    with right:
        red = rows[rows["status"] == "red"]
        st.markdown(f"**Red ({len(red)})**\n" + render.bullets(
            f"{render.status_badge('red')} **{render.plain(r.code)}** {render.plain(r.text[:90])}"
            for r in red.head(5).itertuples()))
elif item.kind == "indicator":
    info = assessed.set_index("indicator_code").loc[item.ref]
    st.markdown(f"{render.status_badge(info['rag'])} {render.plain(info['rag_explanation'])}  \n"
                f"**Direction of travel:** {render.plain(info['travel_explanation'])}")
    series = frame(queries.indicator_series, item.ref, sel.organisation_id)
    render.figure(presented(trend_figure(series, item.ref, info["unit"], info["polarity"])),
                  key="meeting-indicator", empty="This indicator has no numeric figure, only words.")
else:
    pos = efficiency_position.position(frame(queries.efficiency_by, sel.organisation_id, years[0], "directorate"),
                                       frame(queries.efficiency_summaries, sel.organisation_id, years[0]))
    st.markdown(render.bullets(pos.sentences()))  # figures and fixed words only
    render.figure(presented(gains_bars(frame(queries.efficiency_by, sel.organisation_id, years[0], "directorate"),
                                       f"Gains by directorate {years[0]} (£000)")),
                  key="meeting-efficiency", empty="No gain line names an amount.")
