// purpose: Delete every node and link, for `load --replace` (runs in the same transaction as the load).
// params: none
// returns: none
// mode: write
MATCH (n)
DETACH DELETE n
