"""The bare page (bench/bare_chart.py) served with the dashboard's one server fix, Nagle's algorithm off
(dashboard/ui/sockets.py): not the goal's floor, which is Streamlit as shipped, but the floor on equal terms."""
import runpy
from pathlib import Path

from dashboard.ui.sockets import send_without_delay

send_without_delay()
runpy.run_path(str(Path(__file__).with_name("bare_chart.py")))
