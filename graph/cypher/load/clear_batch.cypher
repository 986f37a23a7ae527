// purpose: Delete up to $size nodes with their links, accounts and audit entries included; `Neo4jStore.wipe` repeats it until it deletes none (one transaction deleting a province would hold all of it in the server's heap).
// params: $size
// returns: deleted
// mode: write
MATCH (n)
WITH n
LIMIT $size
DETACH DELETE n
RETURN count(*) AS deleted
