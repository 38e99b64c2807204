# Paths that yield no event file, broken links among the files, a database in
# a missing folder: each an error that names the path, and nothing is written.
source "$(dirname "$0")/lib/common.sh"

"$ANNALS" load -q --db full.db "$SRC/data" || fail "first load"
sum_before=$(sha256sum full.db | cut -d' ' -f1)
events() { count_events full.db; }

# A directory with no *.yaml or *.yml file in it: an error naming it, exit 1
# for check and load alike; the database is untouched, byte for byte.
mkdir empty notes && printf 'not data\n' > notes/readme.txt
NO_FILE='error: no event file here: nothing named *.yaml or *.yml in this directory or below
      = hint: give a directory that holds the dataset'"'"'s files, or the files themselves'
run "$ANNALS" check empty
expect_rc 1
expect_eq "$OUT" "empty: $NO_FILE
1 error in 0 files" "check of an empty directory"
run "$ANNALS" load --db full.db empty
expect_rc 1
expect_eq "$OUT" "" "load of an empty directory: stdout"
expect_eq "$ERR" "empty: $NO_FILE
1 error in 0 files
annals load: nothing written; full.db is unchanged" "load of an empty directory: stderr"
expect_eq "$(sha256sum full.db | cut -d' ' -f1)" "$sum_before" "database bytes after loading an empty directory"
expect_eq "$(events)" 19 "events after loading an empty directory"
# Each path is checked on its own: the other paths' files are still read.
run "$ANNALS" load --db full.db "$SRC/data" notes
expect_rc 1
expect_eq "$ERR" "notes: $NO_FILE
1 error in 1 of 6 files
annals load: nothing written; full.db is unchanged" "a path with files and one without"
expect_eq "$(sha256sum full.db | cut -d' ' -f1)" "$sum_before" "database bytes after a path without files"
run "$ANNALS" check -q "$DATA/cli/actors.yaml" empty
expect_rc 1
expect_out "1 error in 1 file"

# A broken symbolic link named like an event file: an error at its path; the
# other files are still checked (here: a date). A broken link named otherwise
# is not an event file and is passed over.
mkdir ds && cp "$DATA/cli/actors.yaml" ds/
printf 'events:\n  - id: e\n    date: 2021-13\n    title: T\n    sources: [s]\nsources:\n  - {id: s, title: S}\n' > ds/bad.yaml
ln -s gone.yaml ds/moved.yaml
ln -s loop.yaml ds/loop.yaml
ln -s nowhere ds/README
run "$ANNALS" check ds
expect_rc 1
expect_eq "$(printf '%s\n' "$OUT" | grep -v '^ ')" "ds/bad.yaml:3:16: error: invalid date '2021-13': month 13 is out of range (01-12)
ds/loop.yaml: error: broken symbolic link: its target 'loop.yaml' is a loop of links
ds/moved.yaml: error: broken symbolic link: its target 'gone.yaml' does not exist
3 errors in 2 files" "check with broken links"
expect_out "ds/moved.yaml: error: broken symbolic link: its target 'gone.yaml' does not exist
      = hint: remove the link, or restore the file it points to"
run "$ANNALS" load --db full.db ds
expect_rc 1
expect_err "ds/moved.yaml: error: broken symbolic link: its target 'gone.yaml' does not exist"
expect_eq "$(sha256sum full.db | cut -d' ' -f1)" "$sum_before" "database bytes after broken links"

# A database in a folder that does not exist: the folder is named.
run "$ANNALS" load --db nodir/t.db "$SRC/data"
expect_rc 3
expect_eq "$ERR" "annals load: cannot create database 'nodir/t.db': folder 'nodir' does not exist" "missing folder"
[ -e nodir ] && fail "load created the folder"
run "$ANNALS" load --db a/b/t.db "$SRC/data"
expect_rc 3
expect_eq "$ERR" "annals load: cannot create database 'a/b/t.db': folder 'a/b' does not exist" "missing folders"
run "$ANNALS" load --db notes/readme.txt/t.db "$SRC/data"
expect_rc 3
expect_eq "$ERR" "annals load: cannot create database 'notes/readme.txt/t.db': 'notes/readme.txt' is not a folder" "a file as the folder"
expect_eq "$(ls -A notes)" "readme.txt" "nothing left beside the file"
# A new database is made whole under a temporary name, then linked in:
# nothing else is left in the folder.
mkdir fresh
run "$ANNALS" load -q --db fresh/t.db "$SRC/data"
expect_rc 0
expect_eq "$(ls -A fresh)" "t.db" "files beside a new database"
expect_eq "$(sqlite3 fresh/t.db 'SELECT count(*) FROM events')" 19 "events in a new database"

finish
