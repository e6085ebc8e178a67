"""The provenance rules the seed checker applies: a figure or a text must be on the line a row cites."""
from dashboard.loading.provenance import text_on_line, value_on_line

# Three lines shaped like document 004's action-plan table: a short cell broken over two lines, other cells between.
LINES = ["Additional needs\tEmbed initial phase of Inclusion Development Program (IDP)\tApril 2009\tHead of",
         "and SEN\t Implement next phase of IDP \tMarch 2010\tImprovement and Inclusion",
         "Total\t1,774\t174"]


def test_a_number_is_found_only_as_itself():
    assert value_on_line(LINES, 3, "1,774")
    assert value_on_line(LINES, 3, "174")
    assert not value_on_line(LINES, 3, "17")  # inside 174 and 1,774: not the figure
    assert not value_on_line(LINES, 1, "1,774")  # cited the wrong line


def test_a_text_is_found_from_its_start_on_the_cited_line_or_running_into_the_next():
    assert text_on_line(LINES, 1, "Embed initial phase of Inclusion Development Program (IDP)")
    assert text_on_line(LINES, 1, "Implement next phase of IDP")  # the next line: cells split over two lines
    assert text_on_line(LINES, 1, "Additional needs and SEN")  # the halves of one cell, with cells between


def test_a_text_not_where_it_is_cited_is_refused():
    assert not text_on_line(LINES, 2, "Additional needs and SEN")  # its start is on the line before
    assert not text_on_line(LINES, 1, "Additional needs and disabilities")
    assert not text_on_line(LINES, 1, "Embed the final phase")
    assert not text_on_line(LINES, 0, "Additional needs")
    assert not text_on_line(LINES, 9, "Additional needs")
