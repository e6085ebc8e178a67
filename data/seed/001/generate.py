"""Generate seed 001 (Herts Quality Protects Third Management Action Plan 2001/2002) from the document's lines."""
import csv
import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "sources" / "001_4f1d86ac92e0e59b.txt"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
lines = DOC.read_text(encoding="utf-8").split("\n")
PLAN = "herts-qp-map3-2001-02"
ORG = "hertfordshire-cc"
clean = lambda s: re.sub(r"\s+", " ", s.replace("**", "")).strip()

# The Department of Health's prompts in section C that are not questions by their wording ("Please say what you will
# do to:" followed by these items): each heads the answers below it.
PROMPT_LINES = {533, 559, 569, 582, 592}
# Lines 138-144 are the two counts the return asks for at 1 January 2001; they are loaded as indicators, not actions.
SKIP_LINES = {138, 140, 142, 144}

areas, actions = [], []
obj = sec = None
stack: list[tuple[int, str]] = []  # open headings in a section: (rank, area code)
theme_count = action_count = 0
last_action = None
lead_in = False
letters = 0
continuations = []


def heading(rank: int, level: str, title: str, n: int) -> None:
    """Open a heading area under the section (or the heading above it of a lower rank)."""
    global theme_count, lead_in, last_action
    while stack and stack[-1][0] >= rank:
        stack.pop()
    theme_count += 1
    code = f"OBJ{obj}-{sec}-T{theme_count}"
    parent = stack[-1][1] if stack else f"OBJ{obj}-{sec}"
    areas.append([PLAN, code, parent, level, title, n])
    stack.append((rank, code))
    lead_in, last_action = False, None


def area_here() -> str:
    return stack[-1][1] if stack else f"OBJ{obj}-{sec}"


for n, raw in enumerate(lines, start=1):
    if n in SKIP_LINES:
        continue
    for fragment in (clean(f) for f in raw.split("**")):
        if not fragment or re.fullmatch(r"Objective \d+", fragment):
            continue  # a page header repeated at each page break
        m = re.match(r"^Objective (\d+)\s*[–-]\s*(.*)$", fragment)
        if m:
            obj, sec = m.group(1), None
            areas.append([PLAN, f"OBJ{obj}", "", "objective", m.group(2).rstrip("."), n])
            continue
        m = re.match(r"^([ABC])\)\s+(PROGRESS|PLANS|SPECIFIC)", fragment)
        if m:
            sec = m.group(1)
            stack.clear(); theme_count = action_count = 0; last_action = None; lead_in = False
            if sec != "A":
                title = fragment[3:].strip()
                areas.append([PLAN, f"OBJ{obj}-{sec}", f"OBJ{obj}", "section", title[0] + title[1:].lower(), n])
            continue
        if sec not in ("B", "C"):
            continue  # section A reports progress; its figures are loaded as indicators
        if fragment.startswith("Set out what you will achieve") or (
                fragment.startswith("Please say") and fragment.endswith(":")):
            continue  # the return's own prompt, the same in every objective
        is_bullet = fragment.startswith("- ")
        words = len(fragment.split())
        if not is_bullet and (fragment.endswith("?") or fragment.startswith(("What ", "How ", "Please say"))
                              or re.match(r"^(i|ii|iii|iv)\) ", fragment) or n in PROMPT_LINES):
            heading(1, "section", fragment, n)
            continue
        if not is_bullet and re.match(r"^[a-z]\) ", fragment) and len(fragment) <= 60:
            heading(2, "theme", fragment, n)
            continue
        if (not is_bullet and len(fragment) <= 60 and not fragment.endswith(".")
                and (not fragment.endswith(":") or words <= 3)):
            heading(3, "theme", fragment.rstrip(":").strip(), n)
            continue
        if is_bullet and lead_in and last_action:
            letter = chr(ord("a") + letters)
            letters += 1
            actions.append([PLAN, f"{last_action}{letter}", last_action, area_here(), "task", fragment[2:].strip(),
                            "", "", "", n])
            continue
        if not is_bullet and fragment[0].islower() and actions:
            actions[-1][5] += " " + fragment  # a sentence broken onto a new paragraph by the conversion
            continuations.append(n)
            continue
        action_count += 1
        code = f"OBJ{obj}-{sec}-{action_count}"
        text = fragment[2:].strip() if is_bullet else fragment
        actions.append([PLAN, code, "", area_here(), "action", text, "", "", "", n])
        # Bullets after a paragraph that ends in a colon ("In 2001/2 we will:") are that paragraph's tasks;
        # bullets after a heading, or after a paragraph that ends its sentence, are actions of their own.
        if not is_bullet:
            last_action, lead_in, letters = code, fragment.endswith((":", ": -")), 0

# Statistics, findings and descriptions that the paragraph rules above would load as actions (issue 20): nobody is
# to do them, so they are not actions. Their figures, where they measure something, are observations below.
NOT_ACTIONS = {
    128: "a count of children awaiting placement (the 28 is LOCAL HCC-ADOPTION-WAITING, line 144)",
    239: "a remark on the item above, not a thing to do",
    243: "a statistic: first reviews held within 3 months (provisionally 100%)",
    571: "a statistic (the conception rate) and the strategy's dated targets (observations below)",
    1116: "the remit of a review already done (its findings are at line 1120)",
    1117: "the remit of a review already done",
    1118: "the remit of a review already done",
    1137: "a statistic: two enquiries, no applications",
    1248: "a result: vacancies fell from 23% to 12% (LOCAL HCC-SW-VACANCIES)",
    1249: "a result: 13 newly qualified social workers recruited",
    1379: "a description of the new system",
    1380: "a description of the new system",
    1382: "a description of the data the new system will hold (lines 1384-1387)",
    1384: "a data item the new system will hold",
    1385: "a data item the new system will hold",
    1386: "a data item the new system will hold",
    1387: "a data item the new system will hold",
    1389: "a benefit the new system brings",
}
actions = [row for row in actions if row[9] not in NOT_ACTIONS]

# ---- Indicators: (code, aliases, name, unit, polarity, basis, family, name line, objective) ----
INDICATORS = [
    ("PAF A1", "", "Placement stability", "percent", "lower", "document", "PAF", 19, 1),
    ("PAF D35", "PAF D 35", "Long-term foster placements", "percent", "higher", "document", "PAF", 21, 1),
    ("QP 1.1.2", "", "Percentage of cases allocated", "percent", "higher", "document", "QP", 23, 1),
    ("PAF E44", "", "Family Support: Relative spend", "percent", "higher", "document", "PAF", 25, 1),
    ("PAF C23", "", "LAC adopted", "percent", "higher", "document", "PAF", 39, 1),
    ("LOCAL HCC-LAC-FOSTER", "", "LAC in foster placements", "percent", "higher", "document", "local", 21, 1),
    ("LOCAL HCC-LAC-COUNT", "", "LAC Numbers", "number", "lower", "document", "local", 27, 1),
    ("LOCAL HCC-FOSTER-RECRUIT", "", "new foster carers", "number", "higher", "document", "local", 95, 1),
    ("LOCAL HCC-ADOPTER-RECRUIT", "", "adopters recruited", "number", "higher", "document", "local", 41, 1),
    ("LOCAL HCC-ADOPTION-MATCHED", "", "children matched with adopters", "number", "higher", "definition", "local", 42, 1),
    ("LOCAL HCC-ADOPTION-ORDERS", "", "adoption orders", "number", "higher", "definition", "local", 43, 1),
    ("LOCAL HCC-ADOPTERS-UNMATCHED", "",
     "The number of approved adopters at 1 January 2001 who do not have children matched or placed with them",
     "number", "none", "definition", "local", 138, 1),
    ("LOCAL HCC-ADOPTION-WAITING", "",
     "The number of children at 1 January 2001 with adoption as the plan (approved by Adoption Panel or agency "
     "decision maker) who do not have an adoptive family matched with them and have been waiting more than six months",
     "number", "lower", "definition", "local", 142, 1),
    ("LOCAL HCC-CPR-COUNT", "", "The number of children on the CP Register", "number", "none", "definition", "local", 175, 2),
    ("PAF A3", "", "Numbers of children re-registered", "percent", "lower", "document", "PAF", 177, 2),
    ("PAF C20", "", "Reviews held within correct timescales", "percent", "higher", "definition", "PAF", 179, 2),
    ("PAF C21", "", "Those on the Register for over 2 years", "percent", "lower", "document", "PAF", 181, 2),
    ("QP 2.3.5", "", "Number of children with allocated key worker", "percent", "higher", "document", "QP", 183, 2),
    ("QP 5", "QP5", "days unauthorised absence", "percent", "lower", "document", "QP", 263, 3),
    ("QP 4", "QP4", "exclusions", "number", "lower", "document", "QP", 263, 3),
    ("PAF E45", "", "Black and Ethnic Minorities", "ratio", "higher", "document", "PAF", 286, 3),
    ("PAF A2", "", "care leavers had at least one GCSE/ GNVQ", "percent", "higher", "document", "PAF", 427, 4),
    ("LOCAL HCC-LAC-5AC", "", "5 or more GCSEs grade A-C", "percent", "higher", "document", "local", 538, 4),
    ("QP 9", "", "Percentage of LAC permanently excluded", "percent", "lower", "document", "QP", 438, 4),
    ("PAF C24", "", "LAC missed 25 days schooling", "percent", "lower", "document", "PAF", 440, 4),
    ("PAF C19", "C 19", "health checks", "percent", "higher", "document", "PAF", 452, 4),
    ("LOCAL HCC-LAC-REVIEWS", "", "LAC reviews completed within the required timescales", "percent", "higher",
     "definition", "local", 460, 4),
    ("PAF C18", "", "Proportion of LAC receiving final warnings and convictions", "ratio", "lower", "document", "PAF", 464, 4),
    ("QP 10", "", "Relative proportion of LAC from ethnic minorities", "ratio", "lower", "document", "QP", 526, 4),
    ("LOCAL HCC-CL19-ACCOM", "", "19 year old care leavers were in suitable accommodation", "percent", "higher",
     "definition", "local", 612, 5),
    ("LOCAL HCC-CL-ACCOM", "", "care leavers are in suitable accommodation", "percent", "higher", "document", "local", 691, 5),
    ("LOCAL HCC-CL19-ETE", "", "19 year old care leavers were in education, training or employment", "percent", "higher",
     "document", "local", 619, 5),
    ("LOCAL HCC-CL-ETE", "", "all care leavers (including 19 year olds) are in education, training and employment",
     "percent", "higher", "document", "local", 703, 5),
    ("LOCAL HCC-CL19-CONTACT", "", "19 year old care leavers were in contact with SSD or a named representative",
     "percent", "higher", "document", "local", 626, 5),
    ("LOCAL HCC-CL-CONTACT", "", "young people who have left Care are still in contact", "percent", "higher", "document",
     "local", 719, 5),
    ("LOCAL HCC-ASSESS-WAIT", "", "the numbers of cases on the assessment waiting list", "number", "lower", "document",
     "local", 866, 7),
    ("LOCAL HCC-REFERRALS-24H", "", "of referrals are considered within 24 hours", "percent", "higher", "definition",
     "local", 868, 7),
    ("LOCAL HCC-INITIAL-7D", "", "Initial Assessments are completed within 7 working days", "percent", "higher", "document",
     "local", 869, 7),
    ("LOCAL HCC-CORE-35D", "", "Core Assessments have been completed within 35 working days", "percent", "higher",
     "document", "local", 870, 7),
    ("QP 15", "", "Percentage achieving PQ 1", "percent", "higher", "document", "QP", 1151, 10),
    ("QP 14", "", "Percentage achieving NVQ 3", "percent", "higher", "document", "QP", 1158, 10),
    ("LOCAL HCC-SW-VACANCIES", "", "C&F SW vacancies", "percent", "lower", "document", "local", 1248, 10),
    # Dated targets the first reading dropped (issue 20).
    ("LOCAL HCC-LAC-FOSTER-YOUNG", "", "young children", "percent", "higher", "document", "local", 1319, 11),
    ("LOCAL HCC-EM-FOSTER-RECRUIT", "", "new ethnic minority placements", "number", "higher", "document", "local",
     98, 1),
    ("LOCAL HCC-YOT-PARENTING-10D", "", "engage all those with parenting orders within 10 days", "text", "none", "",
     "local", 349, 3),
    ("LOCAL HCC-YOT-SECURE-ACCOM", "", "reduce LA/Secure accommodation", "number", "lower", "document", "local", 349, 3),
    ("LOCAL HCC-YOT-SUPERVISION-ASSESSED", "", "on supervision orders for eligibility", "percent", "higher",
     "document", "local", 349, 3),
    ("LOCAL HCC-YOT-ASSET-PROGRESS", "", "progress where ASSET used", "percent", "higher", "document", "local", 349, 3),
    ("LOCAL HCC-YOT-DRUG-PACKAGES", "", "improve opportunities for those with drugs issues", "percent", "higher",
     "document", "local", 349, 3),
    ("LOCAL HCC-YC-SUPPORT-GROUPS", "", "Districts have YC Support Groups", "number", "higher", "document", "local",
     357, 3),
    ("LOCAL HCC-U18-CONCEPTION-REDUCTION", "", "reducing under 18s conception rate", "percent", "higher", "document",
     "local", 571, 4),
    ("LOCAL HCC-CL-HE-FE", "", "numbers in higher and further education", "number", "higher", "document", "local",
     713, 5),
    ("LOCAL HCC-SHARED-CARERS", "", "more carers in 2001/02", "number", "higher", "document", "local", 790, 6),
    ("LOCAL HCC-CH-INSPECTIONS", "", "of the required inspections of children's homes", "percent", "higher",
     "document", "local", 1077, 9),
    ("LOCAL HCC-U8-INSPECTIONS", "", "Under 8's assessments and inspections", "text", "none", "", "local", 1092, 9),
]

SECTION_B = "period from the heading of section B, Plans 2001/2002 and beyond"
SECTION_C = "period from the heading of section C, Specific implementation issues 2001/2002 and beyond"
CURRENTLY = "the document says 'currently'; period taken as the year its progress section reports (2000/2001)"
UNDATED = "the document gives no date; period is the span of the progress section (99/2000 and 2000/2001)"
# ---- Observations: (code, period, measure, value, flags, note, line) ----
OBSERVATIONS = [
    ("PAF A1", "97/98", "actual", "13%", "", "", 19),
    ("PAF A1", "98/99", "actual", "10%", "", "", 19),
    ("PAF A1", "99/00", "actual", "8%", "", "", 19),
    ("PAF A1", "2001/2002", "target", "6%", "", "'to achieve and maintain'; " + SECTION_B, 55),
    ("LOCAL HCC-LAC-FOSTER", "2002", "target", "77%", "", "the original 2002 target, already met by March 2000", 21),
    ("LOCAL HCC-LAC-FOSTER", "by March 2002", "target", "79%", "revised", "revised target", 57),
    ("LOCAL HCC-LAC-FOSTER", "by March 2003", "target", "80%", "revised", "revised target (and 91% of young children)", 1357),
    ("PAF D35", "March 1999", "actual", "44%", "", "", 21),
    ("PAF D35", "March 2000", "actual", "49%", "", "", 21),
    ("PAF D35", "by March 2002", "target", "51%", "", "51% in long-term fostering", 57),
    ("QP 1.1.2", "March 1999", "actual", "97.8%", "", "", 23),
    ("QP 1.1.2", "March 2000", "actual", "94.1%", "", "fell due to staffing shortages", 23),
    ("QP 1.1.2", "October 2000", "actual", "98%", "", "after a recruitment campaign", 23),
    ("QP 1.1.2", "by March 2001", "target", "100%", "", "", 23),
    ("QP 1.1.2", "2001/2002", "target", "100%", "", SECTION_B, 59),
    ("PAF E44", "March 1999", "actual", "40.7%", "", "", 25),
    ("PAF E44", "March 2000", "actual", "42.3%", "", "", 25),
    ("LOCAL HCC-LAC-COUNT", "April 2000", "actual", "845", "", "", 27),
    ("LOCAL HCC-LAC-COUNT", "November 2000", "actual", "804", "", "", 27),
    ("LOCAL HCC-FOSTER-RECRUIT", "2000/2001", "target", "80", "", "recruitment expected to meet the target", 31),
    ("LOCAL HCC-FOSTER-RECRUIT", "2001/02", "target", "60", "", "", 95),
    ("PAF C23", "99/2000", "target", "5%", "", "the document says the target was achieved; the actual is not printed", 39),
    ("PAF C23", "March 2001", "target", "6%", "", "dependent on cases in court being heard", 43),
    ("PAF C23", "by 2002", "target", "7%", "", "White Paper 5-year increase of 40% within 2 years", 84),
    ("LOCAL HCC-ADOPTER-RECRUIT", "99/2000", "actual", "41", "", "", 41),
    ("LOCAL HCC-ADOPTER-RECRUIT", "2000/1", "target", "55", "", "20 approved and 40 in assessment in 2000/1 so far", 41),
    ("LOCAL HCC-ADOPTER-RECRUIT", "2001/2002", "target", "60", "", SECTION_C, 123),
    ("LOCAL HCC-ADOPTION-MATCHED", "99/2000", "actual", "47", "", "", 42),
    ("LOCAL HCC-ADOPTION-MATCHED", "2000/01", "forecast", "50", "", "anticipated", 42),
    ("LOCAL HCC-ADOPTION-ORDERS", "99/2000", "actual", "40", "", "", 43),
    ("LOCAL HCC-ADOPTION-ORDERS", "2000/1", "actual", "21", "provisional", "granted in 2000/1 so far", 43),
    ("LOCAL HCC-ADOPTERS-UNMATCHED", "1 January 2001", "actual", "6", "", "", 140),
    ("LOCAL HCC-ADOPTION-WAITING", "1 January 2001", "actual", "28", "", "", 144),
    ("LOCAL HCC-CPR-COUNT", "31.3.00", "actual", "535", "", "", 175),
    ("LOCAL HCC-CPR-COUNT", "30.9.00", "actual", "533", "", "", 175),
    ("PAF A3", "99/2000 to 2000/2001", "actual", "7%", "", "has halved to 7%; " + UNDATED, 177),
    ("PAF C20", "31.3.00", "actual", "96%", "", "", 179),
    ("PAF C20", "30.9.00", "actual", "97%", "", "", 179),
    ("PAF C21", "March 2000", "actual", "6%", "", "", 181),
    ("PAF C21", "September 2000", "actual", "3%", "estimate", "current auditing indicates a drop to 3%", 181),
    ("QP 2.3.5", "99/2000 to 2000/2001", "baseline", "91%", "", "'increased from 91%'; " + UNDATED, 183),
    ("QP 2.3.5", "99/2000 to 2000/2001", "actual", "93.4%", "", UNDATED, 183),
    ("QP 5", "31/3/01", "target", "0.5%", "", "expecting to meet", 263),
    ("QP 4", "31/3/01", "target", "192", "", "192 maximum (1% of total)", 263),
    ("QP 5", "31/3/02", "target", "0.4%", "", "0.4% of days lost through unauthorised absence", 311),
    ("QP 4", "31/3/02", "target", "165", "", "165 max", 311),
    ("PAF E45", "2001", "target", "1.2", "", "met by March 2000; the actual is not printed", 290),
    ("PAF A2", "March 2000", "actual", "30.8%", "", "", 427),
    ("PAF A2", "2001/2", "target", "50%", "", "", 537),
    ("PAF A2", "2003/4", "target", "75%", "", "", 537),
    ("LOCAL HCC-LAC-5AC", "March 2000", "actual", "11.3%", "", "5 A* - C GCSE grades", 429),
    ("LOCAL HCC-LAC-5AC", "2001/2", "target", "13.5%", "", "", 538),
    ("LOCAL HCC-LAC-5AC", "2003/4", "target", "15%", "", "at least 15%", 538),
    ("QP 9", "98/99", "actual", "2.2%", "", "", 438),
    ("QP 9", "99/2000", "actual", "1.9%", "", "", 438),
    ("QP 9", "2000/1", "target", "1%", "", "", 438),
    ("QP 9", "2001/2", "target", "1%", "", "sustain at minimum of 1% 2001/2 onwards", 486),
    ("PAF C24", "99/2000", "actual", "16.7%", "", "", 440),
    ("PAF C24", "2000/1", "target", "14.7%", "", "", 440),
    ("PAF C24", "2001/2", "target", "12.7%", "", "", 488),
    ("PAF C19", "March 2000", "actual", "26%", "revised|conflict",
     "'Actual figure ... was 26% (not 95% reported, based on a sample of 3 districts)'", 452),
    ("PAF C19", "March 2000", "actual", "95%", "conflict",
     "the figure reported before, from a sample of 3 districts; the document corrects it to 26%", 452),
    ("PAF C19", "March 2001", "target", "50%", "", "", 452),
    ("LOCAL HCC-LAC-REVIEWS", "99/2000", "actual", "79%", "", "", 460),
    ("PAF C18", "99/2000", "actual", "4.4", "", "", 464),
    ("PAF C18", "2000/1", "target", "4.0", "conflict", "line 594 sets 2.5 for 2000/1", 464),
    ("PAF C18", "2000/1", "target", "2.5", "conflict", "line 464 sets 4.0 for 2000/1", 594),
    ("QP 10", "31.3.00", "actual", "1.5", "", "", 526),
    ("QP 10", "31.3.01", "target", "1.5", "", "planned position", 526),
    ("QP 10", "March 2002", "target", "1.4", "", "", 526),
    ("LOCAL HCC-CL19-ACCOM", "March 2000", "actual", "79%", "", "12% not known, 6% homeless, 3% in adult hostel", 612),
    ("LOCAL HCC-CL-ACCOM", "1999/2000", "actual", "79%", "", "all 1999/2000 care leavers", 613),
    ("LOCAL HCC-CL-ACCOM", "2000/1", "actual", "86%", "provisional", "2000/1 care leavers so far", 613),
    ("LOCAL HCC-CL-ACCOM", "By 2004", "target", "95%", "", "at least 95%", 691),
    ("LOCAL HCC-CL19-ETE", "March 2000", "actual", "71%", "", "", 619),
    ("LOCAL HCC-CL19-ETE", "2002", "target", "65%", "", "the 2002 NPG target", 619),
    ("LOCAL HCC-CL-ETE", "1999/2000", "actual", "67%", "", "all 1999/2000 care leavers", 620),
    ("LOCAL HCC-CL-ETE", "2000/1", "actual", "72%", "provisional", "2000/1 care leavers so far", 620),
    ("LOCAL HCC-CL-ETE", "by March 2002", "target", "75%", "", "at least 75%, to beat the 2004 PSA target", 703),
    ("LOCAL HCC-CL19-CONTACT", "March 2000", "actual", "66%", "", "", 626),
    ("LOCAL HCC-CL19-CONTACT", "March 2001", "target", "70%", "", "", 626),
    ("LOCAL HCC-CL-CONTACT", "1999/2000", "actual", "69%", "", "all 1999/2000 care leavers", 627),
    ("LOCAL HCC-CL-CONTACT", "2000/1", "actual", "79%", "provisional", "2000/1 care leavers so far", 627),
    ("LOCAL HCC-CL-CONTACT", "By 2004", "target", "95%", "", "at least 95%", 719),
    ("LOCAL HCC-ASSESS-WAIT", "February 2000", "actual", "1034", "", "", 866),
    ("LOCAL HCC-ASSESS-WAIT", "September 2001", "actual", "375", "",
     "printed as September 2001 in a plan written before April 2001; probably September 2000", 866),
    ("LOCAL HCC-REFERRALS-24H", "2000/2001", "actual", "100%", "", CURRENTLY, 868),
    ("LOCAL HCC-REFERRALS-24H", "2001/2002", "target", "100%", "", "maintain the position; " + SECTION_B, 886),
    ("LOCAL HCC-INITIAL-7D", "2000/2001", "actual", "71%", "", CURRENTLY, 869),
    ("LOCAL HCC-INITIAL-7D", "March 2001", "target", "80%", "", "planned position", 869),
    ("LOCAL HCC-INITIAL-7D", "by March 2002", "target", "90%", "", "", 887),
    ("LOCAL HCC-INITIAL-7D", "by March 2003", "target", "100%", "", "", 887),
    ("LOCAL HCC-CORE-35D", "2000/2001", "actual", "18%", "", "based on small numbers; " + CURRENTLY, 870),
    ("LOCAL HCC-CORE-35D", "March 2001", "target", "50%", "", "planned position", 870),
    ("LOCAL HCC-CORE-35D", "by March 2002", "target", "75%", "", "", 888),
    ("LOCAL HCC-CORE-35D", "by March 2003", "target", "100%", "", "", 888),
    ("QP 15", "March 2000", "actual", "nil", "", "", 1151),
    ("QP 15", "March 2001", "forecast", "9.6%", "", "will rise to 9.6%", 1151),
    ("QP 15", "by March 2002", "target", "20%", "", "", 1203),
    ("QP 14", "March 2000", "actual", "1%", "", "", 1158),
    ("QP 14", "March 2001", "forecast", "15%", "", "will rise to 15%", 1158),
    ("QP 14", "by March 2002", "target", "40%", "", "", 1209),
    ("LOCAL HCC-SW-VACANCIES", "June 2000", "actual", "23%", "", "of establishment", 1248),
    ("LOCAL HCC-SW-VACANCIES", "November 2000", "actual", "12%", "", "printed as 'November', after June 2000", 1248),
    # Dated targets the first reading dropped (issue 20).
    ("LOCAL HCC-LAC-FOSTER", "by March 2001", "target", "78%", "", "all LAC; 89% of young children", 1319),
    ("LOCAL HCC-LAC-FOSTER-YOUNG", "by March 2001", "target", "89%", "", "young children looked after", 1319),
    ("LOCAL HCC-LAC-FOSTER-YOUNG", "by March 2003", "target", "91%", "revised", "revised target", 1357),
    ("LOCAL HCC-EM-FOSTER-RECRUIT", "2001/02", "target", "18", "",
     "recruitment target within the 2001/02 foster carer target (line 95)", 98),
    ("LOCAL HCC-YOT-PARENTING-10D", "2001/2002", "target", "all", "", "YOT target; " + SECTION_B, 349),
    ("LOCAL HCC-YOT-SECURE-ACCOM", "2001/2002", "target", "reduce", "", "direction-only YOT target; " + SECTION_B, 349),
    ("LOCAL HCC-YOT-SUPERVISION-ASSESSED", "2001/2002", "target", "100%", "", "YOT target; " + SECTION_B, 349),
    ("LOCAL HCC-YOT-ASSET-PROGRESS", "2001/2002", "target", "80%", "", "YOT target; " + SECTION_B, 349),
    ("LOCAL HCC-YOT-DRUG-PACKAGES", "2001/2002", "target", "80%", "", "'80% packages taken up'; " + SECTION_B, 349),
    ("LOCAL HCC-YC-SUPPORT-GROUPS", "by March 2002", "target", "6", "", "6 Districts with YC Support Groups", 357),
    ("LOCAL HCC-U18-CONCEPTION-REDUCTION", "by 2004", "target", "15%", "",
     "a reduction of 15% in the under-18 conception rate (the indicator is the reduction)", 571),
    ("LOCAL HCC-U18-CONCEPTION-REDUCTION", "by 2010", "target", "45%", "",
     "a reduction of 45% in the under-18 conception rate (the indicator is the reduction)", 571),
    ("LOCAL HCC-CL-HE-FE", "by March 2004", "target", "by at least 50%", "",
     "an increase of at least 50%; baseline not printed; kept as text because it is a change, not a level", 713),
    ("LOCAL HCC-SHARED-CARERS", "2001/02", "target", "24", "", "a minimum of 24 more carers, 6 households per quadrant",
     790),
    ("LOCAL HCC-CH-INSPECTIONS", "99/2000", "actual", "100%", "", "", 1077),
    ("LOCAL HCC-CH-INSPECTIONS", "2000/1", "forecast", "100%", "", "'on schedule to complete'", 1077),
    ("LOCAL HCC-CH-INSPECTIONS", "2001/2002", "target", "100%", "", "'Will continue to achieve'; " + SECTION_B, 1100),
    ("LOCAL HCC-U8-INSPECTIONS", "99/2000 to 2000/2001", "actual", "All", "",
     "'carried out within the required timescales'; " + UNDATED, 1092),
]

OUT.mkdir(parents=True, exist_ok=True)


def write(name, header, rows):
    with (OUT / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


write("plans.csv", ["plan_id", "title", "organisation", "period", "source_line"],
      [[PLAN, "Quality Protects Third Management Action Plan 2001/2002", ORG, "2001/2002", 7]])
write("areas.csv", ["plan_id", "code", "parent_code", "level", "title", "source_line"], areas)
write("actions.csv", ["plan_id", "code", "parent_code", "area_code", "kind", "text", "lead_officer",
                      "lead_organisation", "due", "source_line"], actions)
write("indicators.csv", ["code", "aliases", "name", "unit", "polarity", "polarity_basis", "tolerance", "family",
                         "successor_of", "source_line"],
      [[c, a, name, u, p, b, "", fam, "", line] for c, a, name, u, p, b, fam, line, _ in INDICATORS])
write("indicator_areas.csv", ["indicator_code", "plan_id", "area_code", "source_line"],
      [[c, PLAN, f"OBJ{o}", line] for c, *_, line, o in INDICATORS])
write("observations.csv", ["indicator_code", "organisation", "period", "period_type", "measure", "comparator_group",
                           "value", "flags", "note", "source_line"],
      [[c, ORG, period, "", measure, "", value, flags, note, line]
       for c, period, measure, value, flags, note, line in OBSERVATIONS])

if __name__ == "__main__":
    from collections import Counter
    used = {a[3] for a in actions}
    parents = {a[2] for a in areas}
    empty = [a for a in areas if a[1] not in used and a[1] not in parents]
    print("areas", Counter(a[3] for a in areas), "actions", Counter(a[4] for a in actions),
          "indicators", len(INDICATORS), "observations", len(OBSERVATIONS), file=sys.stderr)
    print("areas without actions:", [(a[1], a[5], a[4][:50]) for a in empty], file=sys.stderr)
    print("continuations joined at lines:", continuations, file=sys.stderr)
