"""Generate seed 000 (Herts CSF Service Plan 2003/04, strategic areas 5-8) from the document's lines."""
import csv, re, sys
from pathlib import Path
DOC = Path(__file__).resolve().parents[2] / "sources" / "000_c5b7f1b98f4e609a.txt"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
lines = DOC.read_text(encoding="utf-8").split("\n")
PLAN = "herts-csf-service-plan-2003-04"
clean = lambda s: re.sub(r"\s+", " ", s.replace("**", "")).strip()
areas, actions = [], []
section = None; sa = None; priority = None; action = None; letters = []
subs, conts = [], []
for n, raw in enumerate(lines, start=1):
    line = raw.strip()
    m = re.match(r"^STRATEGIC AREA (\d+)$", line)
    if m:
        sa = m.group(1); section = "intro"
        # the title is the next non-blank line
        k = n
        while not lines[k].strip(): k += 1
        areas.append([PLAN, sa, "", "strategic_area", clean(lines[k]), k + 1])
        continue
    if line in ("PRIORITIES", "ACTIONS"):
        section = line; continue
    if section != "ACTIONS":
        continue
    m = re.match(r"^-?\s*(\d)\.(\d+)\s+(.*)$", line)
    if m and m.group(1) == sa:
        priority = f"{sa}.{m.group(2)}"; action = None
        areas.append([PLAN, priority, sa, "priority", clean(m.group(3)), n]); continue
    m = re.match(r"^-?\s*(\d\.\d+\.\d+)\s+(.*)$", line)
    if m:
        action = m.group(1); letters = []
        assert action.rsplit(".", 1)[0] == priority, (n, action, priority)
        actions.append([PLAN, action, "", priority, "action", clean(m.group(2)), "", "", "", n]); continue
    m = re.match(r"^-?\s*([a-z])\)\s+(.*)$", line)
    if m:
        assert action, n
        letter = m.group(1)
        code = f"{action}{letter}"
        if letter in letters:
            raise SystemExit(f"repeated task letter at {n}: {code}")
        expected = chr(ord("a") + len(letters))
        if letter != expected:
            print(f"note: line {n} task {code} expected letter {expected}", file=sys.stderr)
        letters.append(letter)
        actions.append([PLAN, code, action, priority, "task", clean(m.group(2)), "", "", "", n]); continue
    if not line or line.startswith("Each year we take action"):
        continue
    last = actions[-1]
    if line.startswith("- "):
        # A sub-bullet of the action or task above: part of its text ("by involving: - faith groups ...").
        # Kept as a dash list, as printed, so a cited line joined with the next still reads the same.
        last[5] = last[5] + (" - " if last[5].endswith(":") else "; - ") + clean(line[2:])
        subs.append((n, last[1]))
    else:
        # A sentence broken onto the next paragraph by the conversion.
        last[5] = last[5] + " " + clean(line)
        conts.append((n, last[1]))
OUT.mkdir(parents=True, exist_ok=True)
def write(name, header, rows):
    with (OUT / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n"); w.writerow(header); w.writerows(rows)
write("plans.csv", ["plan_id", "title", "organisation", "period", "source_line"],
      [[PLAN, "Children, Schools & Families Service Plan 2003/04 (strategic areas 5-8)", "hertfordshire-cc", "2003/04", 58]])
write("areas.csv", ["plan_id", "code", "parent_code", "level", "title", "source_line"], areas)
write("actions.csv", ["plan_id", "code", "parent_code", "area_code", "kind", "text", "lead_officer", "lead_organisation", "due", "source_line"], actions)
from collections import Counter
print(Counter((r[3].split(".")[0], r[4]) for r in actions), len(areas))
print("sub-bullets folded:", subs, file=sys.stderr)
print("continuations:", conts, file=sys.stderr)
