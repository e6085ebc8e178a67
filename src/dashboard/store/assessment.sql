-- Schema version 6: the indicator assessment, materialised. Each council's indicators with the verdict the pages
-- show (rules/assessment.py), written by the same code after every build, upload, rollback and migration
-- (dashboard/assessment_table.py), so analysts read the dashboard's verdicts rather than rebuilding its rules.

CREATE TABLE IF NOT EXISTS indicator_assessment (
    organisation_id         VARCHAR NOT NULL,
    indicator_code          VARCHAR NOT NULL,
    area_code               VARCHAR,          -- the top-level area it reports under (any plan), NULL when none
    area_title              VARCHAR,
    verdict                 VARCHAR NOT NULL, -- red, amber, green, on_course, not_on_course, better, level, worse,
                                              -- no_target, not_assessed
    verdict_label           VARCHAR NOT NULL, -- the word shown ('Not on course (trajectory)')
    basis                   VARCHAR NOT NULL, -- measured, trajectory, comparator, none
    rule                    VARCHAR NOT NULL, -- the key of the rule that gave the verdict (Method page, in order)
    rule_words              VARCHAR NOT NULL, -- that rule in words
    explanation             VARCHAR NOT NULL, -- the verdict in words: what was compared with what
    period                  VARCHAR,          -- the actual's period as written
    value                   DOUBLE,           -- the actual compared
    target                  DOUBLE,           -- the target compared or projected to
    target_period           VARCHAR,          -- the target's period as written ('by December 2005')
    comparator_explanation  VARCHAR,          -- the latest actual against its period's comparator, when there is one
    direction               VARCHAR NOT NULL, -- improving, worsening, no change, changed, unknown
    direction_explanation   VARCHAR NOT NULL,
    latest_period           VARCHAR,
    latest_actual           DOUBLE,
    previous_period         VARCHAR,
    previous_actual         DOUBLE
);
