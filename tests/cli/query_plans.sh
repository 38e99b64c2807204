# Reports answer the same whichever way the query runs: driven by a selective
# link filter (sorting its few matches) or walking the chronological index
# with a broad one (see is_broad in src/query.c). An independent query in
# the sqlite3 shell is the reference.
source "$(dirname "$0")/lib/common.sh"

need sqlite3 jq

"$BUILD_DIR/annals-gen" 2000 10 gen 1 || fail "generate"
"$ANNALS" load -q --db q.db gen || fail "load"

# The events of an actor and of everything part of it, in the format's order.
expected_actor() {   # expected_actor ACTOR [ROLE]
    sqlite3 q.db "WITH RECURSIVE s(id) AS (SELECT '$1' UNION SELECT p.actor_id
        FROM actor_parents p JOIN s ON p.parent_id = s.id)
        SELECT e.id FROM events e WHERE EXISTS (SELECT 1 FROM event_actors ea
        WHERE ea.event_id = e.id AND ea.actor_id IN s ${2:+AND ea.role = '$2'})
        ORDER BY e.lower, e.upper, e.id"
}
expected_place() {
    sqlite3 q.db "WITH RECURSIVE s(id) AS (SELECT '$1' UNION SELECT p.place_id
        FROM place_parents p JOIN s ON p.parent_id = s.id)
        SELECT e.id FROM events e WHERE EXISTS (SELECT 1 FROM event_places ep
        WHERE ep.event_id = e.id AND ep.place_id IN s)
        ORDER BY e.lower, e.upper, e.id"
}
expected_tag() {
    sqlite3 q.db "SELECT e.id FROM events e WHERE EXISTS (SELECT 1 FROM event_tags t
        WHERE t.event_id = e.id AND t.tag = '$1') ORDER BY e.lower, e.upper, e.id"
}
ids() { "$ANNALS" report --db q.db "$@" -f json | jq -r '.events[].id'; }

total=$(sqlite3 q.db "SELECT count(*) FROM events")
tag=$(sqlite3 q.db "SELECT tag FROM event_tags GROUP BY tag ORDER BY count(*) DESC LIMIT 1")
role=$(sqlite3 q.db "SELECT role FROM event_actors WHERE role IS NOT NULL GROUP BY role
                     ORDER BY count(*) DESC LIMIT 1")
# Broad: actor-3 (a tenth of the actors are part of it), place-3, the commonest
# tag. Selective: the actor and the place, with no parts, that have the fewest events.
leaf_actor=$(sqlite3 q.db "SELECT actor_id FROM event_actors WHERE actor_id NOT IN
    (SELECT parent_id FROM actor_parents) GROUP BY actor_id ORDER BY count(*), actor_id LIMIT 1")
leaf_place=$(sqlite3 q.db "SELECT place_id FROM event_places WHERE place_id NOT IN
    (SELECT parent_id FROM place_parents) GROUP BY place_id ORDER BY count(*), place_id LIMIT 1")
for a in actor-3 "$leaf_actor"; do
    want=$(expected_actor "$a")
    expect_eq "$(ids --actor "$a")" "$want" "--actor $a"
    expect_eq "$(ids --actor "$a" --limit 7)" "$(printf '%s\n' "$want" | head -n 7)" \
        "--actor $a --limit 7"
    expect_eq "$(ids --actor "$a" --role "$role")" "$(expected_actor "$a" "$role")" \
        "--actor $a --role $role"
done
for p in place-3 "$leaf_place"; do
    expect_eq "$(ids --region "$p")" "$(expected_place "$p")" "--region $p"
done
expect_eq "$(ids --tag "$tag")" "$(expected_tag "$tag")" "--tag $tag"
expect_eq "$(ids --tag "$tag" --limit 3)" "$(expected_tag "$tag" | head -n 3)" "--tag $tag --limit 3"

# The two cases are really both here: one broad filter, one selective.
broad=$(expected_actor actor-3 | wc -l)
leaf=$(expected_actor "$leaf_actor" | wc -l)
[ $((broad * 20)) -ge "$total" ] || fail "actor-3 is not broad: $broad of $total events"
[ "$leaf" -gt 0 ] && [ $((leaf * 20)) -lt "$total" ] ||
    fail "$leaf_actor is not selective: $leaf of $total events"
CHECKS=$((CHECKS + 2))

# Text and CSV agree with JSON on the broad case (the same cursor feeds them).
expect_eq "$("$ANNALS" report --db q.db --actor actor-3 -f csv | tail -n +2 | cut -d, -f1)" \
    "$(expected_actor actor-3)" "CSV ids of --actor actor-3"

finish
