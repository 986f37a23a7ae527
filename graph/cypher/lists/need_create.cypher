// purpose: Post the need $id (item $name, kind $kind, posted $posted, status open) of the village $village; created = 0 means no such village.
// params: $id, $name, $kind, $posted, $village
// returns: created
// mode: write
MATCH (v:Village {id: $village})
CREATE (n:Need {id: $id, name: $name, kind: $kind, posted: $posted, status: 'open'})
CREATE (n)-[:NEED_OF]->(v)
RETURN count(n) AS created
