"""The framework's floor: a bare Streamlit page that draws one Plotly chart the size of the dashboard's trend chart
(three series of 40 quarters), with nothing else to compute."""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Bare chart", layout="wide")
st.title("Bare chart")
quarters = [f"Q{n}" for n in range(40)]
figure = go.Figure([go.Scatter(x=quarters, y=[(n * 7 + k * 13) % 50 for n in range(40)], name=name)
                    for k, name in enumerate(("Actual", "Target", "Comparator"))])
st.plotly_chart(figure, width="stretch")
