// Generated from graph/model.py with _templates/link_update.cypher.in; edit those, run `pairing schema --write`.
// purpose: Set the properties of PAIRED_WITH links, one row each (r.unit, r.village, r.since: the link; the rest: its new values, nulls clearing), to the row's values; the caller merges a change into the stored link first; updated = 0 means no such link.
// params: $rows
// returns: updated
// mode: write
// Rows, not one parameter per property: Ladybug types a null parameter as BOOL, which a DATE or DOUBLE
// property refuses; a row's nulls are typed by the store's witness row (whose null start matches nothing).
// The start is not labelled: a pairing's unit may have any unit label, and the link type restricts it.
UNWIND $rows AS r
MATCH (a)-[p:PAIRED_WITH]->(v:Village {id: r.village})
WHERE a.id = r.unit AND p.since = date(r.since)
SET p.until = date(r.until),
    p.form = r.form,
    p.funds = r.funds,
    p.projects = r.projects,
    p.last_activity = date(r.last_activity)
RETURN count(p) AS updated
