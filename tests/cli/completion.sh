# The bash and zsh completions load and complete commands, options, formats,
# ids and vocabularies from the database, and dataset paths.
source "$(dirname "$0")/lib/common.sh"
"$ANNALS" load -q --db t.db "$SRC/data" || fail "load"
# 'annals' on the PATH, as a user has it (also under ANNALS_WRAPPER).
mkdir bin && ln -s "$ANNALS" bin/annals
export PATH="$WORK/bin:$PATH"
mkdir -p ds/sub && touch ds/a.yaml ds/b.yml ds/notes.txt

# bash_complete WORD...: what bash offers for the last word, sorted, on one line.
bash_complete() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _annals
             printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
        _ "$SRC/completions/annals.bash" "$@" | sed 's/ $//'
}
b() {   # b EXPECTED WORD...: bash offers EXPECTED for the last WORD
    local expected=$1
    shift
    expect_eq "$(bash_complete "$@")" "$expected" "bash: $*"
}

# As the issue has it.
run bash -c 'source "$1"; COMP_WORDS=(annals re); COMP_CWORD=1; _annals; echo "${COMPREPLY[@]}"' \
    _ "$SRC/completions/annals.bash"
expect_out report
b "report" annals rep
b "help" annals he
b "--help --version" annals --
b "actors check date diff load log lsp new places report roles serve show sources tags types" annals help ""
b "actors check date diff help load log lsp new places report roles serve show sources tags types" annals ""
b "--db --format --help --quiet --strict" annals load --
b "--strict" annals check --st
b "--tag --text --title --to --type" annals report --t
b "csv geojson html json markdown text timelinejs" annals report --format ""
b "json" annals report -f j
b "json text" annals check --format ""
b "json text" annals load -f ""
b "csv json text" annals actors --format ""
b "csv json text" annals tags --format ""
b "--db --format --help" annals roles --
b "ds/a.yaml ds/b.yml ds/sub" annals types ds/
b "" annals show --format ""
b "json" annals report --format = j          # --format=j, as bash splits it
b "csv geojson html json markdown text timelinejs" annals report --format = ""
b "is-greater-sahara islamic-state" annals report --db t.db --actor is
b "is-greater-sahara islamic-state" annals report --db = t.db -a is
b "mali menaka middle-east" annals report --db t.db --region m
b "rome-coalition-article-2021" annals report --db t.db --source r
b "meeting military-campaign" annals report --db t.db --type m
b "sahel" annals report --db t.db --tag sa
b "host" annals report --db t.db --role ho
b "actor region" annals report --lanes ""
b "rome rome-coalition-article-2021 rome-meeting" annals show --db t.db rome   # ids of every kind
b "ds/a.yaml ds/b.yml ds/sub" annals show --db t.db rome-meeting ds/   # paths after the id
b "ds/a.yaml ds/b.yml ds/sub" annals check ds/
b "ds/a.yaml ds/b.yml ds/notes.txt ds/sub" annals report --output ds/
b "" annals report --from ""
b "json markdown text" annals diff --format ""
b "json markdown text" annals log --format ""
b "--actor --db --exit-code --format --from --help --moves --region --tag --to --type" annals diff --
b "ds/a.yaml ds/b.yml ds/notes.txt ds/sub" annals diff ds/   # a side may be a database: any file
mkdir g && cd g && git init -q && HOME=$WORK git -c user.name=t -c user.email=t@t \
    commit -q --allow-empty -m x && git branch feature-x
b "feature-x" annals diff feat   # git revisions
cd ..
b "event" annals new ev
b "actor event place source" annals new ""
b "" annals date ""
b "--format --help" annals date --
b "json text" annals date --format ""
(cd / && b "" annals report --actor is)   # no annals.db there: nothing, quietly
cp t.db annals.db
b "rome rome-coalition-article-2021 rome-meeting" annals log rome   # ids, as for show
b "islamic-state" annals report --actor isl   # the default database

# zsh: the same function, with the completion builtins stubbed to print
# what they would offer (compadd filters by the prefix, as zsh does).
if ! command -v zsh > /dev/null; then
    fail "zsh is not installed (scripts/deps.sh test installs it)"
    finish
    exit 1
fi
run zsh -n "$SRC/completions/_annals"
expect_rc 0
zsh_complete() {
    zsh -f -c '
        compadd() { [[ $1 == -a ]] && print -r -- ${(o)${(M)${(P)2}:#${PREFIX}*}} }
        _files() { print -r -- _files "$@" }
        compset() { PREFIX=${PREFIX#*=} }
        file=$1; shift
        words=("$@"); CURRENT=$#; PREFIX=$words[CURRENT]
        source $file' _ "$SRC/completions/_annals" "$@"
}
z() {   # z EXPECTED WORD...: zsh offers EXPECTED for the last WORD
    local expected=$1
    shift
    expect_eq "$(zsh_complete "$@")" "$expected" "zsh: $*"
}
z "report" annals rep
z "--help --version" annals --
z "actors check date diff help load log lsp new places report roles serve show sources tags types" annals ""
z "--db --format --help --quiet --strict" annals load --
z "csv geojson html json markdown text timelinejs" annals report --format ""
z "json" annals report --format=j
z "json text" annals check -f ""
z "is-greater-sahara islamic-state" annals report --db t.db --actor is
z "is-greater-sahara islamic-state" annals report --db=t.db --actor is
z "mali menaka middle-east" annals report --region m
z "sahel" annals report --tag sa
z "rome-meeting" annals show rome-m
z "_files -g *.(yaml|yml)" annals show rome-meeting ""
z "_files -g *.(yaml|yml)" annals check ""
z "_files" annals load --db ""
z "event" annals new ev
z "" annals date ""
z "json text" annals date -f ""
z "report" annals help rep
z "json markdown text" annals diff -f ""
z "rome-meeting" annals log rome-m
z "HEAD
_files" annals diff ""
finish
