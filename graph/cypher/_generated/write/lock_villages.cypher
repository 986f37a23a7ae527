// Generated from graph/model.py with _templates/lock_nodes.cypher.in; edit those, run `pairing schema --write`.
// purpose: Take the write locks of the Village nodes $ids, in the order given, for the rest of the transaction, so that a check that reads before it writes (a unit's free places, a village still unpaired, a need's claims) cannot interleave with another writer's.
// params: $ids
// returns: id
// mode: write
// A property set to itself takes the node's write lock on Neo4j (probed on 5.26: a second such
// transaction waits until the first ends, a read does not), and a later read in the transaction sees
// what the other writer committed. On Ladybug the store's own lock already serialises writers.
UNWIND $ids AS id
MATCH (n:Village {id: id})
SET n.name = n.name
RETURN n.id AS id
