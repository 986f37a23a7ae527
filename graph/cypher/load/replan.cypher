// purpose: After a bulk write on Neo4j: resample the indexes, wait until done, and clear the query caches, so that the next queries are planned on the graph's present sizes (`Neo4jStore.refresh_statistics`).
// params: none
// returns: none
// mode: write
// Without it, a province loaded into an empty server was planned as if still empty: the unpaired-gap list
// scanned every village once per weak village and ran for over ten minutes instead of one second.
CALL db.prepareForReplanning()
