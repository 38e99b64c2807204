#!/bin/bash
# show.sh - `annals show ID`: every kind of record, shared ids, hierarchies, unknown ids.
source "$(dirname "$0")/lib/common.sh"
FIX="$DATA/report/main"

run "$ANNALS" show full-event "$FIX"
expect_rc 0
expect_out "event full-event
  title        Pledge <script>alert(\"x\")</script> | *bold* & [link](x), \"quoted\"
  date         28 June 2021 (2021-06-28: 2021-06-28 .. 2021-06-28)
  summary      First line, with a comma; a \"quote\", a back\\slash
               # and a second line with \`code\` and _under_.
  type         pledge
  part of      rome-summit
  actors       Global Coalition [coalition] as host
               Islamic State [islamic-state]
  places       Rome [rome] (41.9028, 12.4964)
               Baghdad [baghdad] (33.3152, 44.3661)
  tags         render, money
  figures      pledge 17500000 (17000000–18000000) US dollars
               share 0.1
  sources      An article: \"Rome\" & <more> [art], paragraph 3 <https://example.org/a_b?x=1&y=2>
                 “He said: \"17.5 million\" <b>”
               A report without a URL [report-src], p. 4; fig. 2\\
  notes        Every field is set."
expect_out "  defined      $FIX/events.yaml:"

# An event with parts lists them.
run "$ANNALS" show rome-summit "$FIX"
expect_rc 0
expect_out "  parts        1
    28 June 2021  Pledge <script>"

# An open interval shows its open side.
run "$ANNALS" show still-active "$FIX"
expect_out "  date         since March 2019 (2019-03/..: 2019-03-01 .. open)"

# An actor: its events and those of the actors part of it, 3 levels down.
run "$ANNALS" show islamic-state "$FIX"
expect_rc 0
expect_out "actor islamic-state
  name         Islamic State
  kind         armed-group
  aliases      ISIS, Daesh, داعش
  members      is-greater-sahara (Islamic State in the Greater Sahara)"
expect_out "  events       8"
expect_out "    ? – June 2021          Raid near Ménaka town  [cell-raid]"

# A place: the events of the places within it.
run "$ANNALS" show africa "$FIX"
expect_rc 0
expect_out "  contains     mali (Mali)"
expect_out "  events       2
    the 2010s      A decade of insurgency in the Sahel  [decade]
    ? – June 2021  Raid near Ménaka town  [cell-raid]"

# A source: the events citing it, with their quotes.
run "$ANNALS" show plutarch "$FIX"
expect_rc 0
expect_out "source plutarch
  title        Plutarch, Life of Caesar
  author       Plutarch
  published    100–109 (010X)
  accessed     28 June 2021 (2021-06-28)
  url          https://example.org/plutarch
  notes        Translated by Bernadotte Perrin; a Loeb edition."
expect_out "    15 March 44 BCE    Caesar is assassinated in Rome  [ides-of-march]
      ch. 66: “Caesar was stabbed 23 times.”"
run "$ANNALS" show report-src "$FIX"
expect_out "  published    c. 27 BCE (-0026~)"

# An id shared by an actor and a place: both.
run "$ANNALS" show rome "$FIX"
expect_rc 0
expect_out "actor rome"
expect_out "place rome"
expect_out "  members      brutus (Marcus Junius Brutus)
               caesar (Julius Caesar)"

# Unknown ids: exit 1 with a hint.
run "$ANNALS" show rome-sumit "$FIX"
expect_rc 1
expect_err "annals show: no event, actor, place or source has the id 'rome-sumit' (did you mean 'rome-summit'?)"
expect_eq "$OUT" "" "nothing on stdout"
run "$ANNALS" show ISIS "$FIX"
expect_rc 1
expect_eq "$ERR" "annals show: no event, actor, place or source has the id 'ISIS' ('ISIS' is an alias of actor 'islamic-state')" "a name"
run "$ANNALS" show zzzzzzzz "$FIX"
expect_rc 1
expect_err "has the id 'zzzzzzzz'"
expect_no_out "did you mean"

# Usage.
run "$ANNALS" show
expect_rc 2
expect_err "which id?"
run "$ANNALS" show --help
expect_rc 0
expect_out "usage: annals show ID"

# From a database, and the seed dataset.
"$ANNALS" load -q --db fix.db "$FIX"
run "$ANNALS" show caesar --db fix.db
expect_rc 0
expect_out "  events       3"
run "$ANNALS" show rome-meeting "$SRC/data"
expect_rc 0
expect_out "  parts        6"
run "$ANNALS" show is-greater-sahara "$SRC/data"
expect_rc 0
expect_out "[djibo-attacks-menaka-niger]"

# A dataset with records but no events: the record, with no events (once a
# "datatype mismatch" failure, exit 3), and the filtered report is empty.
EMPTY="$DATA/report/empty"
run "$ANNALS" show nobody "$EMPTY"
expect_rc 0
expect_out "actor nobody
  name         Nobody"
run "$ANNALS" show nowhere "$EMPTY"
expect_rc 0
expect_out "place nowhere"
run "$ANNALS" report --actor nobody "$EMPTY"
expect_rc 0
run "$ANNALS" report --region nowhere --format json "$EMPTY"
expect_rc 0
expect_out '"events": []'

finish
