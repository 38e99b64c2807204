#!/bin/bash
# report.sh - `annals report`: data sources, filters, formats, output file, exit codes.
source "$(dirname "$0")/lib/common.sh"
FIX="$DATA/report/main"
EMPTY="$DATA/report/empty"

# ---- From dataset paths, in text ------------------------------------------
run "$ANNALS" report "$FIX"
expect_rc 0
expect_out "open start
  until 510 BCE          Kings rule Rome — Rome

49 BCE
  49 BCE – 45 BCE        Caesar's civil war — Julius Caesar, Roman Republic
  10 January 49 BCE      Caesar crosses the Rubicon — Julius Caesar · Rubicon"
expect_out "2021
  1 January 2021         New Year statement A
  1 January 2021         New Year statement Z
  January 2021           Market attack in central Baghdad — Islamic State · Baghdad
  2021                   A year of attacks
  ? – June 2021          Raid near Ménaka town — Abu Example · Ménaka town"
expect_out "16 events"
expect_no_out $'\033'          # not a terminal: no colour
expect_eq "$ERR" "" "stderr of a clean report"

# ---- Filters ---------------------------------------------------------------
expect_eq "$(report_ids "$FIX" --actor ISIS --region africa)" "decade cell-raid" "--actor ISIS --region africa"
expect_eq "$(report_ids "$FIX" --actor داعش --role perpetrator)" "is-advance month-2021 cell-raid" "Arabic alias and role"
expect_eq "$(report_ids "$FIX" --region menaka)" "cell-raid" "--region menaka"
expect_eq "$(report_ids "$FIX" --region 'MENAKA TOWN')" "cell-raid" "folded name"
expect_eq "$(report_ids "$FIX" --from -0044-12-31 --to -0043)" "civil-war ides-of-march" "BCE overlap"
expect_eq "$(report_ids "$FIX" --from 2999)" "still-active" "open end"
expect_eq "$(report_ids "$FIX" --to -0600)" "before-republic" "open start"
expect_eq "$(report_ids "$FIX" --type attack --tag resurgence)" "month-2021" "--type and --tag"
expect_eq "$(report_ids "$FIX" --text 'menaka raid')" "cell-raid" "--text"
expect_eq "$(report_ids "$FIX" --text 'title:raid OR "x')" "" "--text is never FTS syntax"
expect_eq "$(report_ids "$FIX" --source plutarch -n 2)" "before-republic civil-war" "--source and --limit"
expect_eq "$(report_ids "$FIX" --from 2021-01-01 --to 2021-01-01)" \
    "still-active aa-new-year zz-new-year month-2021 year-2021" "ties: what ends first, then id"

run "$ANNALS" report "$FIX" --actor isis-sahel
expect_rc 2
expect_err "annals report: no actor matches 'isis-sahel' (closest: 'is-greater-sahara', 'islamic-state')"
expect_eq "$OUT" "" "stdout of a failed report"
# A type, tag or role no event has: an error with the closest, like an actor.
run "$ANNALS" report "$FIX" --type atack
expect_rc 2
expect_eq "$ERR" "annals report: no type matches 'atack' (closest: 'attack')" "unknown type"
expect_eq "$OUT" "" "stdout of a failed report"
run "$ANNALS" report "$FIX" --tag Resurgance
expect_rc 2
expect_eq "$ERR" "annals report: no tag matches 'Resurgance' (closest: 'resurgence')" "unknown tag"
run "$ANNALS" report "$FIX" --actor caesar --role comander
expect_rc 2
expect_eq "$ERR" "annals report: no role matches 'comander' (closest: 'commander')" "unknown role"
run "$ANNALS" report "$FIX" --type punic-war
expect_rc 2
expect_eq "$ERR" "annals report: no type matches 'punic-war' (closest: 'war')" "a word of it"
run "$ANNALS" report "$FIX" --type earthquake
expect_rc 2
expect_eq "$ERR" "annals report: no type matches 'earthquake'" "nothing close"
run "$ANNALS" report "$FIX" --source plutarc
expect_rc 2
expect_eq "$ERR" "annals report: no source matches 'plutarc' (closest: 'plutarch')" "unknown source"
run "$ANNALS" report "$FIX" --region Georgia
expect_rc 2
expect_err "'Georgia' matches several places: 'georgia' (Georgia), 'georgia-us' (Georgia)"
run "$ANNALS" report "$FIX" --from 2021-13
expect_rc 2
expect_err "invalid --from date '2021-13': month 13 is out of range (01-12)"
run "$ANNALS" report "$FIX" --from 2021 --to 2020
expect_rc 2
expect_err "--from 2021 lies after --to 2020"
run "$ANNALS" report "$FIX" --limit 0
expect_rc 2
expect_err "--limit needs a positive whole number"
run "$ANNALS" report "$FIX" --format yaml
expect_rc 2
expect_err "unknown format 'yaml'"
run "$ANNALS" report "$FIX" --bogus
expect_rc 2
run "$ANNALS" report --help
expect_rc 0
expect_out "geojson"

# ---- Formats ---------------------------------------------------------------
run "$ANNALS" report "$FIX" --tag render -f json
expect_rc 0
expect_eq "$(jq -r '.events | length' <<<"$OUT")" 4 "json events"
expect_eq "$(jq -c '.events[0] | [.start, .end]' <<<"$OUT")" '[null,"-0509-12-31"]' "open start is null"
expect_eq "$(jq -c '.events[2] | [.start, .end]' <<<"$OUT")" '["2019-03-01",null]' "open end is null"
expect_eq "$(jq -r '.events[3].title' <<<"$OUT")" 'Pledge <script>alert("x")</script> | *bold* & [link](x), "quoted"' "title round trip"
expect_eq "$(jq -r '.events[3].summary' <<<"$OUT")" 'First line, with a comma; a "quote", a back\slash
# and a second line with `code` and _under_.' "summary round trip"
expect_out '"value":17500000,"low":17000000,"high":18000000'
expect_eq "$(jq -c '.events[3].figures[1]' <<<"$OUT")" '{"name":"share","value":0.1,"low":null,"high":null,"unit":null}' "figure"
expect_eq "$(jq -c '.events[3].places[0]' <<<"$OUT")" '{"id":"rome","name":"Rome","kind":"city","lat":41.9028,"lon":12.4964}' "place"
# Every field of the format: the event's notes, its actors' kinds and
# descriptions, each cited source's every field (dates as EDTF).
expect_eq "$(jq -r '.events[1].notes' <<<"$OUT")" "The Ides of March; the date is the one Plutarch gives." "event notes"
expect_eq "$(jq -c '.events[1].actors[0] | [.kind, .description]' <<<"$OUT")" \
    '["person","Roman general and dictator, killed on the Ides of March."]' "actor kind and description"
expect_eq "$(jq -c '.events[1].sources[0] | [.author, .published, .accessed, .notes]' <<<"$OUT")" \
    '["Plutarch","010X","2021-06-28","Translated by Bernadotte Perrin; a Loeb edition."]' "source fields"
expect_eq "$(jq -r '.events[3].part_of' <<<"$OUT")" "rome-summit" "part_of"

"$ANNALS" report "$FIX" --tag render -f csv >out.csv
expect_eq "$(head -1 out.csv | od -c | grep -c '\\r  \\n')" 1 "CRLF line ends"
expect_eq "$(grep -c $'\r$' out.csv)" 5 "csv records (the quoted summary spans two lines)"
expect_eq "$(sed -n 3p out.csv)" $'ides-of-march,-0043-03-15,-0043-03-15,-0043-03-15,Caesar is assassinated in Rome,Stabbed by senators led by Brutus.,assassination,caesar;brutus,victim;assassin,rome,assassination;render,plutarch,,,The Ides of March; the date is the one Plutarch gives.,Caesar was stabbed 23 times.,ch. 66\r' "csv row"
expect_eq "$(tail -1 out.csv)" $'# and a second line with `code` and _under_.",pledge,coalition;islamic-state,host;,rome;baghdad,render;money,art;report-src,pledge=17500000 (17000000–18000000) US dollars;share=0.1,rome-summit,Every field is set.,"He said: ""17.5 million"" <b>;",paragraph 3;p. 4\\; fig. 2\\\\\r' "quotes and locators parallel to sources, ';' and '\\' escaped"

run "$ANNALS" report "$FIX" --tag render -f markdown --title 'Rome & *more*'
expect_rc 0
expect_out "# Rome &amp; \\*more\\*"
expect_out "## 44 BCE"
expect_out "[^2]: *Plutarch, Life of Caesar*, Plutarch, 100–109, accessed 28 June 2021, ch. 66, <https://example.org/plutarch>: “Caesar was stabbed 23 times.”"
expect_out "  Notes: The Ides of March; the date is the one Plutarch gives."
expect_out "## Actors

- **Global Coalition** (coalition): A coalition with a description.
- **Islamic State** (armed-group)
- **Julius Caesar** (person): Roman general and dictator, killed on the Ides of March."
expect_out "- *Plutarch, Life of Caesar*, Plutarch, 100–109, accessed 28 June 2021, <https://example.org/plutarch>: Translated by Bernadotte Perrin; a Loeb edition."
expect_out "- *A report without a URL*, c. 27 BCE"
expect_out "Pledge &lt;script&gt;"
expect_no_out "<script>"

for f in html timelinejs geojson; do
    run "$ANNALS" report "$FIX" -f "$f"
    expect_rc 0
done

# ---- Empty results -----------------------------------------------------------
run "$ANNALS" report "$EMPTY"
expect_rc 0
expect_eq "$OUT" "no events" "empty text report"
run "$ANNALS" report "$EMPTY" -f json
expect_eq "$OUT" '{"events": []}' "empty json report"
run "$ANNALS" report "$FIX" --text nonesuch -f csv
expect_eq "$OUT" $'id,date,start,end,title,summary,type,actors,roles,places,tags,sources,figures,part_of,notes,quotes,locators\r' "empty csv"
run "$ANNALS" report "$FIX" --type proclamation --tag render
expect_rc 0
expect_eq "$OUT" "no events" "type and tag both used, never together"

# ---- Where the data comes from ----------------------------------------------
"$ANNALS" load --db fix.db -q "$FIX"
run "$ANNALS" report --db fix.db -f json
expect_rc 0
expect_eq "$OUT" "$("$ANNALS" report "$FIX" -f json)" "--db gives what the paths give"
run "$ANNALS" report --db fix.db "$FIX"
expect_rc 2
expect_err "not both"
run "$ANNALS" report --db missing.db
expect_rc 3
expect_err "missing.db"
echo "not a database" >bad.db
run "$ANNALS" report --db bad.db
expect_rc 3
expect_err "not an annals database"

mkdir dflt && cd dflt
run "$ANNALS" report              # neither annals.db nor data/
expect_rc 3
ln -s "$EMPTY" data
run "$ANNALS" report              # data/
expect_rc 0
expect_eq "$OUT" "no events" "default: data/"
cp ../fix.db annals.db
run "$ANNALS" report -n 1         # annals.db wins over data/
expect_rc 0
expect_out "Kings rule Rome"
cd ..

# A dataset with errors: exit 1, diagnostics on stderr, no report.
mkdir broken
printf 'events:\n  - id: e1\n    date: 2021-13\n    title: X\n' >broken/e.yaml
run "$ANNALS" report broken
expect_rc 1
expect_err "broken/e.yaml:3:16: error: invalid date '2021-13': month 13 is out of range (01-12)"
expect_eq "$OUT" "" "no report from a broken dataset"

# ---- The output file ----------------------------------------------------------
run "$ANNALS" report "$FIX" -o report.txt
expect_rc 0
expect_eq "$OUT" "" "stdout with -o"
expect_eq "$(tail -1 report.txt)" "16 events" "the file"
expect_eq "$(grep -c $'\033' report.txt)" 0 "no colour in a file"
expect_eq "$(ls report.txt.tmp-* 2>/dev/null | wc -l)" 0 "no temporary file left"
run "$ANNALS" report "$FIX" --actor nobody-at-all -o report.txt
expect_rc 2
expect_eq "$(tail -1 report.txt)" "16 events" "a failed report keeps the old file"
run "$ANNALS" report "$FIX" -o no-such-dir/r.txt
expect_rc 3
expect_err "cannot write 'no-such-dir/r.txt'"
chmod 640 report.txt
ln -s report.txt link.txt
run "$ANNALS" report "$FIX" -n 1 -o link.txt
expect_rc 0
expect_eq "$(readlink link.txt)" "report.txt" "a symbolic link stays a link"
expect_eq "$(tail -1 report.txt)" "1 event" "written through the link"
run "$ANNALS" report "$FIX" -n 2 -o report.txt
expect_eq "$(stat -c %a report.txt)" 640 "the mode of a replaced file is kept"
# A path that is not a regular file is written in place, never renamed over.
mkfifo pipe
cat pipe >from-pipe &
run "$ANNALS" report "$FIX" -n 1 -o pipe
wait
expect_rc 0
expect_eq "$(tail -1 from-pipe)" "1 event" "written into a FIFO"
expect_eq "$(stat -c %F pipe)" "fifo" "the FIFO is still a FIFO"
# A full disk is an I/O failure (only where /dev/full is the device it should be).
if [ -c /dev/full ] && [ -w /dev/full ]; then
    run bash -c "'$ANNALS' report '$FIX' >/dev/full"
    expect_rc 3
    expect_err "No space left on device"
fi

# ---- The seed dataset ----------------------------------------------------------
run "$ANNALS" report "$SRC/data" --actor ISIS --region africa -f json
expect_rc 0
expect_eq "$(jq -r '[.events[].id] | index("djibo-attacks-menaka-niger") != null' <<<"$OUT")" true "seed: Greater Sahara branch under ISIS"
run "$ANNALS" report "$SRC/data" --actor 'Global Coalition to Defeat ISIS' --from 2021-06-28 --to 2021-06-28
expect_rc 0
expect_out "Anti-Islamic State coalition meets in Rome"
run "$ANNALS" report "$SRC/data" --region menaka
expect_rc 0
expect_out "Ménaka"

finish
