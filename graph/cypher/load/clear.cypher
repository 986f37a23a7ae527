// purpose: Delete every node and link, accounts and audit entries included (`GraphStore.wipe`: tests, restoring into a server); `load --replace` uses load/clear_* instead.
// params: none
// returns: none
// mode: write
MATCH (n)
DETACH DELETE n
