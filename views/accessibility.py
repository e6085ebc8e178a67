"""Accessibility statement, in the GOV.UK model's sections: how accessible the dashboard is, what is not and why,
how to report a problem, the enforcement procedure, how it was tested and when the statement was prepared."""
import streamlit as st

from dashboard.ui import render
from dashboard.ui.auth import settings

PREPARED = "6 December 2026"  # change with the words below, after the checks under "How we tested" are run again

st.title("Accessibility statement")
st.markdown(
    "This statement covers this children's services performance dashboard: its pages, the files it downloads "
    "(CSV, Excel, PNG) and the board pack PDF. The council that runs this copy of the dashboard is responsible for "
    "it. We want as many people as possible to be able to use it. For example, you should be able to:\n"
    "- zoom in to 300% and read every page without scrolling sideways (pages reflow to a phone's width)\n"
    "- use a screen reader: each page has its own title and headings, and every chart is followed by its figures "
    "as a table\n"
    "- tell every status apart without colour: Red, Amber and Green are always written as words, colour only "
    "supports them\n\n"
    "[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use if you have a "
    "disability.")

st.header("How accessible this dashboard is")
st.markdown(
    "This dashboard is partially compliant with the [Web Content Accessibility Guidelines version 2.2]"
    "(https://www.w3.org/TR/WCAG22/) AA standard, because of the known gaps listed below. What is compliant:\n"
    "- automated checks (axe-core, WCAG 2.2 A and AA rules) find no failure on any page, the officers' pages "
    "included\n"
    "- text in charts (titles, axis labels, legends, labels on bars) has a contrast of at least 4.5:1 with what is "
    "behind it, and long chart titles and labels wrap instead of being cut off\n"
    "- every chart is followed by a collapsed table of the figures it draws, and has a one-sentence description as "
    "its alternative text in the board pack\n"
    "- pages are readable at 390 pixels wide (a phone) without scrolling sideways; tables scroll inside themselves\n"
    "- every table can be downloaded as CSV and Excel, and every chart as a PNG\n"
    "- upload problems are reported in words, naming the row, the column and why, never only by colour")

st.header("Content that is not accessible")
st.markdown(
    "The content below is not fully accessible, for these reasons.\n\n"
    "**Non-compliance with the accessibility regulations**\n"
    "- Tables are drawn by Streamlit's data grid on a canvas. A screen reader reaches an accessible grid behind "
    "it, which may hold only the rows scrolled into view (WCAG 1.3.1 Info and relationships). Every table "
    "downloads as CSV or Excel, which work with any screen reader or spreadsheet.\n"
    "- Charts are pictures drawn by Plotly: a screen reader does not read their points, and hovering to see a "
    "point's value needs a mouse (WCAG 1.1.1 Non-text content, 2.1.1 Keyboard). The table of figures under each "
    "chart gives the same values.\n"
    "- Chart titles are broken into lines of a fixed length so that they fit a phone, so on a wide screen a long "
    "title takes more lines than it needs. This is not a failure, but it is not ideal.\n"
    "- Pages have been checked at 390 pixels wide, which is 300% zoom on a 1280 pixel screen, not at 320 pixels "
    "(400% zoom, WCAG 1.4.10 Reflow).\n"
    "- Using every page with a keyboard alone has not yet been checked by hand (WCAG 2.1.1 Keyboard); the controls "
    "are Streamlit's standard buttons, boxes and links.\n"
    "- Meeting mode moves between items with the left and right arrow keys and ends with Esc; these keys may be "
    "taken by a screen reader first. The Previous, Next and End buttons do the same and work with any input.\n"
    "- The board pack PDF is tagged (its title, language, headings, paragraphs, each chart's alternative text and "
    "its tables' header cells), but it has not been checked against the PDF/UA standard or with a screen reader, "
    "and a table's long text is shortened in the PDF (marked '…'; the whole is on the dashboard).\n\n"
    "**Disproportionate burden**\n\nWe are not claiming disproportionate burden for any of the above.\n\n"
    "**Content that is not within the scope of the accessibility regulations**\n\nThe source documents (council "
    "plans and statements from 2001 to 2009) are older PDF and Word documents published before 23 September 2018; "
    "the dashboard quotes their lines as text, but the documents themselves are not made accessible here.")

st.header("Feedback and contact information")
contact = settings().accessibility_contact
if contact:
    st.markdown("If you find a problem, or need any part of this dashboard or its board pack in a different format "
                f"(accessible PDF, large print, easy read, audio recording or braille), contact: {render.plain(contact)}."
                " Tell us the page, what you were trying to do and what happened. We will reply within 5 working "
                "days.")
else:
    st.markdown("If you find a problem, or need any part of this dashboard or its board pack in a different format, "
                "contact the team in your council that runs this dashboard. This copy's administrators have not yet "
                "named a contact here (the `DASHBOARD_ACCESSIBILITY_CONTACT` setting, see docs/deploy.md).")

st.header("Enforcement procedure")
st.markdown(
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies "
    "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). "
    "If you're not happy with how we respond to your complaint, contact the [Equality Advisory and Support Service "
    "(EASS)](https://www.equalityadvisoryservice.com/).")

st.header("How we tested this dashboard")
st.markdown(
    "Every page (the public pages, this statement, and the officers' pages signed in) is tested automatically, on "
    "every change, in a real Chromium browser:\n"
    "- with axe-core against the WCAG 2.2 A and AA rules\n"
    "- at four screen sizes, 390×844 (phone), 1024×768 (tablet), 1280×720 (projector) and 1440×900 (laptop): no "
    "page may scroll sideways, and every chart must fill at least 90% of the page's width\n"
    "- the contrast of every piece of chart text as the browser draws it, and that each chart is followed by its "
    "figures\n\n"
    "The pages were also looked at, as screenshots, at the phone, laptop and projector sizes. The dashboard has not "
    "yet been tested by people who use assistive technology, nor audited by an accessibility specialist; a council "
    "running it should do both before relying on this statement.")

st.header("Preparation of this accessibility statement")
st.markdown(f"This statement was prepared on {PREPARED}. It was last reviewed on {PREPARED}.")
