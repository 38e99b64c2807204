#!/bin/bash
# diff.sh - `annals diff`: datasets, databases and REV:PATH from a git repository made here;
# every kind of change, renames with their references, both sides invalid, the three formats,
# --exit-code, --moves, filters, colour, and the private directory removed.
source "$(dirname "$0")/lib/common.sh"
use_git
export TMPDIR="$WORK/tmp" NO_COLOR=
mkdir -p "$TMPDIR"

mkdir -p old
cat > old/actors.yaml <<'EOF'
actors:
  - id: islamic-state
    name: Islamic State
    aliases: [ISIS, Daesh]
  - id: is-greater-sahara
    name: Islamic State in the Greater Sahara
    part_of: islamic-state
  - id: us
    name: United States
    kind: state
places:
  - id: mali
    name: Mali
  - id: menaka
    name: Menaka
    within: mali
sources:
  - id: art
    title: An article
EOF
cat > old/events.yaml <<'EOF'
events:
  - id: raid
    date: 2021
    title: Raid near Menaka
    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at night.
    actors: [{id: is-greater-sahara, role: attacker}]
    places: [menaka]
    tags: [sahel]
    sources: [art]
  - id: meeting
    date: 2021-06-28
    title: Meeting in Rome
    actors: [us]
    sources: [art]
  - id: talk
    date: 2021-06-28
    title: A talk at the meeting
    part_of: meeting
    actors: [us]
    sources: [art]
  - id: gone
    date: 2020
    title: An event that goes
    sources: [art]
EOF
cp -r old new
# NEW: an actor renamed (every reference follows), a date made precise, a role,
# a tag and a word changed, an event removed, one added.
sed -i 's/is-greater-sahara/isgs/' new/actors.yaml new/events.yaml
cat > new/events.yaml <<'EOF'
events:
  - id: raid
    date: 2021-01-21
    title: Raid near Menaka
    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at dawn.
    actors: [{id: isgs, role: raider}, us]
    places: [menaka]
    tags: [sahel, raid]
    sources: [art]
  - id: meeting
    date: 2021-06-28
    title: Meeting in Rome
    actors: [us]
    sources: [art]
  - id: talk
    date: 2021-06-28
    title: A talk at the meeting
    part_of: meeting
    actors: [us]
    sources: [art]
  - id: new-one
    date: 2022
    title: A new event
    sources: [art]
EOF

# Text: by kind, field by field; no colour when piped.
run "$ANNALS" diff old new
expect_rc 0
expect_eq "$OUT" "actors
  > is-greater-sahara → isgs  Islamic State in the Greater Sahara

events
  + new-one  A new event (2022)
  - gone  An event that goes (2020)
  ~ raid  Raid near Menaka (2021-01-21)
      date: 2021 → 2021-01-21 (2021 → 21 January 2021; start 2021-01-01 → 2021-01-21, end 2021-12-31 → 2021-01-21)
      summary: … attacked a village near Menaka at [-night.-] {+dawn.+}
      actors: +isgs (raider), +us, -isgs (attacker)
      tags: +raid

1 added, 1 removed, 1 renamed, 1 changed" "text"
expect_eq "$ERR" "" "stderr of a diff"
case "$OUT" in *$'\033'*) fail "colour in piped output" ;; esac

# Colour on a terminal (script(1) gives the command one), none with NO_COLOR.
# (script is util-linux's, in Debian's essential bsdutils.)
out=$(TERM=xterm NO_COLOR= script -qec "'$ANNALS' diff old new 2>/dev/null" /dev/null)
case "$out" in *$'\033[32m'*) ;; *) fail "no colour on a terminal: $out" ;; esac
out=$(TERM=xterm NO_COLOR=1 script -qec "'$ANNALS' diff old new 2>/dev/null" /dev/null)
case "$out" in *$'\033'*) fail "colour with NO_COLOR: $out" ;; esac
CHECKS=$((CHECKS + 2))

# JSON: exactly the documented shape.
run "$ANNALS" diff --format json old new
expect_rc 0
expect_eq "$(printf '%s' "$OUT" | jq -c 'keys')" '["added","changed","removed","renamed"]' "json keys"
expect_eq "$(printf '%s' "$OUT" | jq -c '.added')" '[{"kind":"event","id":"new-one"}]' "json added"
expect_eq "$(printf '%s' "$OUT" | jq -c '.removed')" '[{"kind":"event","id":"gone"}]' "json removed"
expect_eq "$(printf '%s' "$OUT" | jq -c '.renamed')" \
    '[{"kind":"actor","from":"is-greater-sahara","to":"isgs"}]' "json renamed"
expect_eq "$(printf '%s' "$OUT" | jq -c '.changed[0].fields[] | select(.field == "date")')" \
    '{"field":"date","old":"2021","new":"2021-01-21"}' "json date"
expect_eq "$(printf '%s' "$OUT" | jq -c '.changed[0].fields[] | select(.field == "actors") | .new')" \
    '[{"id":"isgs","role":"raider"},{"id":"us","role":null}]' "json actors"

# Markdown: a summary line, then a section per kind.
run "$ANNALS" diff -f markdown old new
expect_rc 0
expect_out "**annals diff** \`old\` → \`new\`: 1 added, 1 removed, 1 renamed, 1 changed"
expect_out "### Actors (1 renamed)

- **renamed** \`is-greater-sahara\` → \`isgs\`: Islamic State in the Greater Sahara"
expect_out "### Events (1 added, 1 removed, 1 changed)"
expect_out "  - \`summary\`: … attacked a village near Menaka at ~~night.~~ **dawn.**"
expect_out "  - \`actors\`: added \`isgs (raider)\`, \`us\`; removed \`isgs (attacker)\`"

# --exit-code: 1 with differences, 0 without.
run "$ANNALS" diff --exit-code old new
expect_rc 1
run "$ANNALS" diff --exit-code old old
expect_rc 0
expect_eq "$OUT" "no differences" "no differences"

# Filters keep the events that match on either side, and only events.
run "$ANNALS" diff --actor is-greater-sahara old new
expect_rc 0
expect_out "~ raid"
expect_no_out "gone"
expect_no_out "> is-greater-sahara"
run "$ANNALS" diff --from 2022 old new
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^  [-+~>]')" "1" "events from 2022"
expect_out "+ new-one"
run "$ANNALS" diff --tag raid --exit-code old new
expect_rc 1
run "$ANNALS" diff --actor nobody old new
expect_rc 2
expect_err "annals diff: no actor matches 'nobody'"

# A move to another file is no change; --moves lists it.
cp -r old moved
python3 - <<'EOF'
import re
text = open("moved/events.yaml").read()
start = text.index("  - id: gone")
open("moved/events.yaml", "w").write(text[:start])
open("moved/more.yaml", "w").write("events:\n" + text[start:])
EOF
run "$ANNALS" diff --exit-code old moved
expect_rc 0
run "$ANNALS" diff --moves old moved
expect_out "moved
  event gone: events.yaml:21 → more.yaml:2"
run "$ANNALS" diff --moves -f json old moved
expect_eq "$(printf '%s' "$OUT" | jq -c '.moved')" \
    '[{"kind":"event","id":"gone","from":"events.yaml:21","to":"more.yaml:2"}]' "json moved"

# A database side.
"$ANNALS" load -q --db old.db old || fail "load old.db"
run "$ANNALS" diff -f json old.db new
expect_rc 0
expect_eq "$(printf '%s' "$OUT" | jq -c '[.added[].id, .removed[].id, .renamed[].to, .changed[].id]')" \
    '["new-one","gone","isgs","raid"]' "database against dataset"
run "$ANNALS" diff --exit-code old.db old
expect_rc 0

# annals.db in the current directory is a starting point only: the same
# result whether it mirrors OLD, NEW or something else.
run "$ANNALS" diff -f json old new
without=$OUT
for ds in old new moved; do
    "$ANNALS" load -q "$ds" || fail "load $ds into annals.db"
    run "$ANNALS" diff -f json old new
    expect_eq "$OUT" "$without" "diff with annals.db of $ds"
    run "$ANNALS" diff --moves old moved
    expect_out "event gone: events.yaml:21 → more.yaml:2"
done
cp annals.db annals.db.before
run "$ANNALS" diff old new
cmp -s annals.db annals.db.before || fail "annals.db was written to"
# The same dataset on both sides: checked once, no differences.
run "$ANNALS" diff --exit-code old ./old/
expect_rc 0
expect_eq "$OUT" "no differences" "a dataset against itself"
rm -f annals.db annals.db.before
# --db names that database; it is read only too. One that is damaged (pages
# overwritten) or no annals database at all is not used: the same result.
"$ANNALS" load -q --db elsewhere.db new || fail "load new into elsewhere.db"
cp elsewhere.db elsewhere.db.before
run "$ANNALS" diff --db elsewhere.db -f json old new
expect_rc 0
expect_eq "$OUT" "$without" "diff --db"
cmp -s elsewhere.db elsewhere.db.before || fail "--db was written to"
run "$ANNALS" diff --db nowhere.db old new
expect_rc 3
expect_err "annals diff: cannot open database 'nowhere.db'"
"$ANNALS" load -q old || fail "load old into annals.db"
[ "$(stat -c %s annals.db)" -gt 40960 ] || fail "annals.db is too small to damage"
yes x | head -c 20480 | dd of=annals.db bs=4096 seek=4 conv=notrunc 2>/dev/null
run "$ANNALS" diff -f json old new
expect_rc 0
expect_eq "$OUT" "$without" "diff with a damaged annals.db"
printf 'not a database\n' > annals.db
run "$ANNALS" diff -f json old new
expect_rc 0
expect_eq "$OUT" "$without" "diff with an annals.db that is no database"
rm -f annals.db* elsewhere.db*

# Both sides invalid: the diagnostics of each, exit 1, nothing compared.
mkdir -p bad1 bad2
printf 'events:\n  - id: x\n    date: 2021-02-30\n    title: X\n' > bad1/e.yaml
printf 'events:\n  - id: y\n    date: 2021\n    titel: Y\n' > bad2/e.yaml
run "$ANNALS" diff bad1 bad2
expect_rc 1
expect_eq "$OUT" "" "stdout with invalid sides"
expect_err "bad1/e.yaml:3:19: error: invalid date '2021-02-30'"
expect_err "bad2/e.yaml:4:5: error: unknown key 'titel' in event (did you mean 'title'?)"
expect_err "annals diff: bad1 and bad2 have errors; nothing compared"
run "$ANNALS" diff old bad2
expect_rc 1
expect_err "annals diff: bad2 has errors; nothing compared"

# REV:PATH in a git repository made here; the working tree stays untouched.
mkdir repo && cd repo
git init -q && mkdir data && cp ../old/*.yaml data/
git add data && git commit -qm "first"
cp ../new/*.yaml data/
git commit -qam "second"
printf '  - id: wip\n    date: 2023\n    title: Work in progress\n    sources: [art]\n' >> data/events.yaml
before=$(git status --porcelain; git stash list; ls -la data)
run "$ANNALS" diff HEAD
expect_rc 0
expect_eq "$OUT" "events
  + wip  Work in progress (2023)

1 added" "annals diff REV"
run "$ANNALS" diff --exit-code HEAD~1 data
expect_rc 1
expect_out "> is-greater-sahara → isgs"
expect_out "+ wip"
run "$ANNALS" diff -f json HEAD~1:data HEAD:data
expect_rc 0
expect_eq "$(printf '%s' "$OUT" | jq -c '[.added[].id, .removed[].id, .renamed[].to, .changed[].id]')" \
    '["new-one","gone","isgs","raid"]' "REV:PATH against REV:PATH"
(cd data && "$ANNALS" diff HEAD~1 . | grep -q "is-greater-sahara → isgs") ||
    fail "REV with a PATH relative to a subdirectory"
after=$(git status --porcelain; git stash list; ls -la data)
expect_eq "$after" "$before" "working tree after the diffs"
# A file at a revision (actors.yaml holds actors, places and sources: a dataset alone).
sed -i 's/name: Mali/name: Republic of Mali/' data/actors.yaml
run "$ANNALS" diff HEAD:data/actors.yaml data/actors.yaml
expect_rc 0
expect_out "~ mali  Republic of Mali
      name: Mali → Republic of Mali"
# As git's external diff (docs/review.md): one file's edit, record by record.
printf '*.yaml diff=annals\n' > .gitattributes
run env ANNALS="$ANNALS" git -c diff.annals.command="$SRC/scripts/annals-git-diff" diff -- data/actors.yaml
expect_rc 0
expect_out "annals diff: data/actors.yaml
places
  ~ mali  Republic of Mali
      name: Mali → Republic of Mali

1 changed"
# As a git alias, run from the top of the repository.
(cd data && git -c alias.timeline-diff="!\"$ANNALS\" diff" timeline-diff HEAD~1 data) > alias.out
expect_eq "$(tail -n 1 alias.out)" "2 added, 1 removed, 1 renamed, 2 changed" "git alias"
rm -f alias.out .gitattributes
# An invalid revision: diagnostics under REV:PATH's own name.
printf 'events:\n  - id: z\n    date: 2021\n    titel: Z\n' > data/bad.yaml
git add data/bad.yaml && git commit -qm "bad"
git rm -q data/bad.yaml && git commit -qm "fixed"
run "$ANNALS" diff HEAD~1
expect_rc 1
expect_err "HEAD~1:data/bad.yaml:4:5: error: unknown key 'titel' in event"
run "$ANNALS" diff nosuchrev data
expect_rc 2
expect_err "annals diff: 'nosuchrev' is not a dataset, a database, REV:PATH or a git revision"
run "$ANNALS" diff HEAD:nowhere data
expect_rc 2
expect_err "'HEAD:nowhere' does not exist"
cd ..
expect_eq "$(ls -A "$TMPDIR")" "" "private directories left behind"

# Outside a repository, a REV:PATH is an error from git.
mkdir norepo && cd norepo
GIT_CEILING_DIRECTORIES="$WORK" run "$ANNALS" diff HEAD:data ../old
expect_rc 3
expect_err "annals diff: git: not a git repository"
cd ..

# Usage errors.
run "$ANNALS" diff
expect_rc 2
expect_err "annals diff: what to compare? (OLD NEW, or REV [PATH])"
run "$ANNALS" diff a b c
expect_rc 2
run "$ANNALS" diff old nothing-here
expect_rc 2
expect_err "'nothing-here' is not a dataset, a database or REV:PATH"
run "$ANNALS" diff -f html old new
expect_rc 2
expect_err "unknown format 'html' (text, markdown or json)"

finish
