#!/bin/bash
# date.sh - `annals date` (text and JSON) and the EDTF hints `check` gives for dates as people write them.
source "$(dirname "$0")/lib/common.sh"

# One text: every line of the text form.
run "$ANNALS" date "15 March 44 BC"
expect_rc 0
expect_eq "$OUT" "15 March 44 BC
  edtf        -0043-03-15  (write this)
  in words    15 March 44 BCE
  from        15 March 44 BCE (-0043-03-15)
  to          15 March 44 BCE (-0043-03-15)
  precision   day
  qualifiers  none" "text form"
expect_eq "$ERR" "" "stderr"

# EDTF as written, several texts, qualifiers, open ends, a time of day.
run "$ANNALS" date 2019~ "2021-01/.." 2021-06-28T10:30:00+02:00 -0043
expect_rc 0
expect_out $'2019~\n  edtf        2019~\n  in words    c. 2019\n'
expect_out "  qualifiers  approximate"
expect_out $'  from        1 January 2021 (2021-01-01)\n  to          open (no limit)'
expect_out "  from        28 June 2021, 08:30 UTC (2021-06-28T08:30:00Z)"
expect_out $'-0043\n  edtf        -0043\n  in words    44 BCE\n  from        1 January 44 BCE (-0043-01-01)'
expect_no_out "(write this)"
run "$ANNALS" date "? – June 2021"
expect_out "  from        1 June 2021 (2021-06-01), as the other end: this end is not known"

# JSON: one object per text, in order; an error is an object too.
run "$ANNALS" date --format json "44 BC" "summer 2014" 2014/2019 "05/06/2021" "1990s"
expect_rc 1
expect_eq "$(jq length <<<"$OUT")" 5 "json objects"
expect_eq "$(jq -c '.[0]' <<<"$OUT")" \
    '{"text":"44 BC","edtf":"-0043","converted":true,"words":"44 BCE","lower":"-0043-01-01","lower_words":"1 January 44 BCE","upper":"-0043-12-31","upper_words":"31 December 44 BCE","precision":"year","uncertain":false,"approximate":false,"interval":false}' \
    "json of 44 BC"
expect_eq "$(jq -c '.[1] | [.edtf, .words, .precision]' <<<"$OUT")" '["2014-22","summer 2014","season"]' "season"
expect_eq "$(jq -c '.[2] | [.converted, .interval, .lower, .upper]' <<<"$OUT")" '[false,true,"2014-01-01","2019-12-31"]' "interval"
expect_eq "$(jq -c '.[3]' <<<"$OUT")" \
    '{"text":"05/06/2021","error":"invalid date '"'"'05/06/2021'"'"': the day and the month could be either way round","hint":"write 2021-06-05 for 5 June 2021, or 2021-05-06 for 6 May 2021"}' \
    "json of an ambiguous date"
expect_eq "$(jq -r '.[4].edtf' <<<"$OUT")" "199X" "decade"
run "$ANNALS" date -f json "2019?"
expect_rc 0
expect_eq "$(jq -c '.[0] | [.uncertain, .approximate]' <<<"$OUT")" '[true,false]' "qualifiers in json"

# A text it cannot read: exit 1, check's message and hint on stderr.
run "$ANNALS" date 2021 -44-03-15
expect_rc 1
expect_out $'2021\n  edtf        2021'
expect_eq "$ERR" "annals: error: invalid date '-44-03-15': expected 4 digits for the year
      = hint: write -0043-03-15 for 15 March 44 BCE; -0044-03-15 would be 15 March 45 BCE (EDTF counts 1 BCE as year 0000, 2 BCE as -0001)" \
    "an unreadable date"
run "$ANNALS" date banana
expect_rc 1
expect_eq "$OUT" "" "stdout for nothing readable"
expect_err "annals: error: invalid date 'banana': unexpected character 'b'"
expect_err "hint: see docs/dates.md for the date forms"

# Usage.
run "$ANNALS" date
expect_rc 2
expect_err "annals date: which date? (annals date TEXT...)"
run "$ANNALS" date -f yaml 2019
expect_rc 2
expect_err "unknown format 'yaml' (text or json)"
run "$ANNALS" date --help
expect_rc 0
expect_out "usage: annals date"
expect_out "44 BC, 15 March 44 BC"
run "$ANNALS" date -- -0043
expect_rc 0
expect_out "44 BCE"

# check: the same messages, at the date's position, with the EDTF to write.
run "$ANNALS" check "$DATA/human-dates"
expect_rc 1
F="$DATA/human-dates/events.yaml"
expect_out "$F:7:11: error: invalid date '15 March 44 BC': not written in EDTF"
expect_out "= hint: write -0043-03-15 (15 March 44 BCE); EDTF counts 1 BCE as year 0000, 2 BCE as -0001"
expect_out "$F:11:11: error: invalid date 'c. 390 BC': not written in EDTF"
expect_out "= hint: write -0389~ (c. 390 BCE); EDTF counts 1 BCE as year 0000, 2 BCE as -0001"
expect_out "$F:15:11: error: invalid date 'AD 14': not written in EDTF"
expect_out "= hint: write 0014 (14)"
expect_out "$F:19:11: error: invalid date '-0217–-0201': not written in EDTF"
expect_out "= hint: write -0217/-0201 (218 BCE – 202 BCE)"
expect_out "$F:23:13: error: invalid date '-44-03-15': expected 4 digits for the year"
expect_out "$F:27:11: error: invalid date '05/06/2021': the day and the month could be either way round"
expect_out "6 errors in 1 file"
# ... and each hint, written back, is a valid date.
sed -e 's/15 March 44 BC/-0043-03-15/' -e 's/c\. 390 BC/-0389~/' -e 's/AD 14/0014/' \
    -e 's/-0217–-0201/-0217\/-0201/' -e 's/"-44-03-15"/-0043-03-15/' -e 's|05/06/2021|2021-06-05|' \
    "$F" > fixed.yaml
run "$ANNALS" check fixed.yaml
expect_rc 0
expect_out "no problems in 1 file"
finish
