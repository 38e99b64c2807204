#!/bin/bash
# log.sh - `annals log ID [PATH]`: one record's history across several commits of a
# repository made here, renames followed, a commit with errors skipped, the three formats.
source "$(dirname "$0")/lib/common.sh"
use_git
export TMPDIR="$WORK/tmp" NO_COLOR=
mkdir -p "$TMPDIR"

mkdir repo && cd repo && git init -q && mkdir data
commit() {   # commit DATE MESSAGE: commit everything with that date
    git add -A data && GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qm "$2"
}
cat > data/actors.yaml <<'EOF'
actors:
  - id: us
    name: United States
sources:
  - id: art
    title: An article
EOF
cat > data/events.yaml <<'EOF'
events:
  - id: other
    date: 2020
    title: Another event
    sources: [art]
EOF
commit "2026-01-01T10:00:00+00:00" "Start the dataset"

# 2: the event appears.
cat >> data/events.yaml <<'EOF'
  - id: raid
    date: 2021
    title: Raid near Menaka
    sources: [art]
EOF
commit "2026-01-02T10:00:00+00:00" "Add the raid"

# 3: a commit that does not touch it.
sed -i 's/title: Another event/title: Another event, retitled/' data/events.yaml
commit "2026-01-03T10:00:00+00:00" "Retitle the other event"

# 4: its date made precise, an actor added.
sed -i 's/^    date: 2021$/    date: 2021-01-21/; s/^    title: Raid near Menaka$/    title: Raid near Menaka\n    actors: [{id: us, role: observer}]/' data/events.yaml
commit "2026-01-04T10:00:00+00:00" "Date the raid"

# 5: a broken commit, then its fix (the raid's summary arrives with the fix).
printf 'events:\n  - id: broken\n    date: 2021-02-30\n    title: X\n    sources: [art]\n' > data/broken.yaml
commit "2026-01-05T10:00:00+00:00" "Break the data"
rm data/broken.yaml
sed -i 's/^    title: Raid near Menaka$/    title: Raid near Menaka\n    summary: Fighters attacked a village./' data/events.yaml
commit "2026-01-06T10:00:00+00:00" "Fix the data, summarise the raid"

# 7: renamed.
sed -i 's/- id: raid$/- id: menaka-raid/' data/events.yaml
commit "2026-01-07T10:00:00+00:00" "Rename raid to menaka-raid"

run "$ANNALS" log menaka-raid
expect_rc 0
expect_eq "$OUT" "commit $(git rev-parse HEAD)
Author: Ada Curator
Date:   2026-01-07T10:00:00+00:00

    Rename raid to menaka-raid

  renamed event raid → menaka-raid

commit $(git rev-parse HEAD~1)
Author: Ada Curator
Date:   2026-01-06T10:00:00+00:00

    Fix the data, summarise the raid

  changed event raid (with 1 earlier commit whose dataset has errors: $(git rev-parse --short=12 HEAD~2))
      summary: (none) → Fighters attacked a village.

commit $(git rev-parse HEAD~3)
Author: Ada Curator
Date:   2026-01-04T10:00:00+00:00

    Date the raid

  changed event raid
      date: 2021 → 2021-01-21 (2021 → 21 January 2021; start 2021-01-01 → 2021-01-21, end 2021-12-31 → 2021-01-21)
      actors: +us (observer)

commit $(git rev-parse HEAD~5)
Author: Ada Curator
Date:   2026-01-02T10:00:00+00:00

    Add the raid

  added event raid" "log, text"
# The broken commit: its diagnostics; what it and its fix changed together is
# shown with the fix, which names it.
expect_err "$(git rev-parse --short=12 HEAD~2):data/broken.yaml:3:19: error: invalid date '2021-02-30'"
expect_eq "$(printf '%s\n' "$ERR" | grep -c 'annals log:')" 0 "notes on stderr"

run "$ANNALS" log --format json menaka-raid data
expect_rc 0
expect_eq "$(printf '%s' "$OUT" | jq -c '[.id, (.commits[] | [.subject, .change, .id, .from])]')" \
    '["menaka-raid",["Rename raid to menaka-raid","renamed","menaka-raid","raid"],["Fix the data, summarise the raid","changed","raid",null],["Date the raid","changed","raid",null],["Add the raid","added","raid",null]]' \
    "log, json"
expect_eq "$(printf '%s' "$OUT" | jq -c '.commits[2].fields')" \
    '[{"field":"date","old":"2021","new":"2021-01-21"},{"field":"actors","old":[],"new":[{"id":"us","role":"observer"}]}]' \
    "log, json fields"
expect_eq "$(printf '%s' "$OUT" | jq -r '.commits[0].commit')" "$(git rev-parse HEAD)" "json commit"
expect_eq "$(printf '%s' "$OUT" | jq -c '[.commits[] | .also]')" "[null,[\"$(git rev-parse HEAD~2)\"],null,null]" "json also"

# A broken HEAD: what it changed cannot be known, and is said.
printf 'events:\n  - id: broken\n    date: 2021-02-30\n    title: X\n    sources: [art]\n' > data/broken.yaml
sed -i 's/title: Raid near Menaka/title: The raid near Menaka/' data/events.yaml
commit "2026-01-08T10:00:00+00:00" "Break it again, retitle the raid"
run "$ANNALS" log menaka-raid
expect_rc 0
expect_err "annals log: the dataset at $(git rev-parse --short=12 HEAD) has errors: what commit $(git rev-parse --short=12 HEAD) changed is not shown"
expect_no_out "Break it again"
expect_out "Rename raid to menaka-raid"
git reset -q --hard HEAD~1

run "$ANNALS" log -f markdown menaka-raid
expect_rc 0
expect_out "**annals log** \`menaka-raid\` in \`data\`"
expect_out "### \`$(git rev-parse --short=12 HEAD~3)\` Date the raid

Ada Curator, 2026-01-04T10:00:00+00:00: changed event \`raid\`

- \`date\`: \`2021\` → \`2021-01-21\`"

# The old id alone: its history up to the rename, which is shown.
run "$ANNALS" log raid
expect_rc 0
expect_out "renamed event raid → menaka-raid"
expect_out "added event raid"

# A subdirectory: PATH relative to it.
(cd data && "$ANNALS" log us . | grep -q "added actor us") || fail "log from a subdirectory"

# Commits that touch another file only, add a file that is not YAML, or move
# the record's file are not in its history; a change after the move is. Each
# older tree is made from the newer one with only the files its commit changed
# (git diff-tree): the newest alone is listed whole (ls-tree), once.
printf 'events:\n  - id: elsewhere\n    date: 2019\n    title: Elsewhere\n    sources: [art]\n' \
    > data/more.yaml
printf 'notes, not data\n' > data/README.md
commit "2026-01-09T10:00:00+00:00" "Add another file"
mkdir data/sub && git mv data/events.yaml data/sub/events.yaml
commit "2026-01-10T10:00:00+00:00" "Move the events"
sed -i 's/title: Raid near Menaka/title: The raid near Menaka/' data/sub/events.yaml
commit "2026-01-11T10:00:00+00:00" "Retitle the raid"
GIT_TRACE="$WORK/git-trace" run "$ANNALS" log menaka-raid
expect_rc 0
expect_eq "$(printf '%s\n' "$OUT" | grep '^    [A-Z]')" "    Retitle the raid
    Rename raid to menaka-raid
    Fix the data, summarise the raid
    Date the raid
    Add the raid" "the commits of a moved record"
expect_out "  changed event menaka-raid
      title: Raid near Menaka → The raid near Menaka"
expect_eq "$(printf '%s\n' "$ERR" | grep -c 'annals log:\|duplicate')" 0 "notes on stderr after a move"
expect_eq "$(grep -c 'git ls-tree' "$WORK/git-trace")" 1 "trees listed whole"
expect_eq "$(grep -c 'git diff-tree' "$WORK/git-trace")" 9 "trees made from the one before (each parent)"
rm "$WORK/git-trace"
# The other record of the moved file, and the one in the other file.
run "$ANNALS" log elsewhere
expect_rc 0
expect_eq "$(printf '%s\n' "$OUT" | grep '^    [A-Z]')" "    Add another file" "a record of another file"
run "$ANNALS" log -f json other
expect_eq "$(printf '%s' "$OUT" | jq -c '[.commits[] | [.subject, .change]]')" \
    '[["Retitle the other event","changed"],["Start the dataset","added"]]' "the moved file's other record"
# An actor renamed, the raid's reference following: the raid did not change
# (only the raid and the records that may be renames are read for it).
sed -i 's/^  - id: us$/  - id: usa/' data/actors.yaml
sed -i 's/{id: us, role: observer}/{id: usa, role: observer}/' data/sub/events.yaml
commit "2026-01-12T10:00:00+00:00" "Rename us to usa"
run "$ANNALS" log menaka-raid
expect_rc 0
expect_no_out "Rename us to usa"
expect_out "Retitle the raid"
run "$ANNALS" log usa
expect_rc 0
expect_out "    Rename us to usa

  renamed actor us → usa"

# Unknown ids, a path with no history, usage.
run "$ANNALS" log nothing
expect_rc 1
expect_err "annals log: no commit changed a record with the id 'nothing' in 'data'"
run "$ANNALS" log raid nowhere
expect_rc 1
run "$ANNALS" log
expect_rc 2
expect_err "annals log: which record? (annals log ID [PATH])"
run "$ANNALS" log -f html raid
expect_rc 2
cd ..
expect_eq "$(ls -A "$TMPDIR")" "" "private directories left behind"
# A dataset made after the repository's first commit: no note about the
# commits before it.
mkdir later && cd later && git init -q && printf 'readme\n' > README
git add README && git commit -qm "Readme only"
mkdir data && printf 'actors:\n  - id: us\n    name: United States\n' > data/actors.yaml
commit "2026-02-01T10:00:00+00:00" "Start the data"
run "$ANNALS" log us
expect_rc 0
expect_out "added actor us"
expect_eq "$ERR" "" "stderr of a log of a dataset made later"
cd ..
mkdir norepo && cd norepo
GIT_CEILING_DIRECTORIES="$WORK" run "$ANNALS" log raid
expect_rc 3
expect_err "annals log: git: not a git repository"

finish
