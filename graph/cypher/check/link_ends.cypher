// purpose: Per link type of the model (each once, in its order), how many links there are, how many join nodes of the labels the model allows, and how many have an end without an id: a difference means dangling or misplaced links (a Neo4j concern: Ladybug's typed tables cannot hold them).
// params: none
// returns: type, total, well_formed, missing_id
// mode: read
RETURN 'PAIRED_WITH' AS type,
       COUNT { MATCH ()-[:PAIRED_WITH]->() } AS total,
       COUNT { MATCH (:CityCommunity)-[:PAIRED_WITH]->(:Village) }
         + COUNT { MATCH (:Enterprise)-[:PAIRED_WITH]->(:Village) }
         + COUNT { MATCH (:Organisation)-[:PAIRED_WITH]->(:Village) } AS well_formed,
       COUNT { MATCH (a)-[:PAIRED_WITH]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'LEADS' AS type,
       COUNT { MATCH ()-[:LEADS]->() } AS total,
       COUNT { MATCH (:Village)-[:LEADS]->(:Village) } AS well_formed,
       COUNT { MATCH (a)-[:LEADS]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'FUSED_WITH' AS type,
       COUNT { MATCH ()-[:FUSED_WITH]->() } AS total,
       COUNT { MATCH (:Enterprise)-[:FUSED_WITH]->(:Village) } AS well_formed,
       COUNT { MATCH (a)-[:FUSED_WITH]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'STATIONED_IN' AS type,
       COUNT { MATCH ()-[:STATIONED_IN]->() } AS total,
       COUNT { MATCH (:Cadre)-[:STATIONED_IN]->(:Village) } AS well_formed,
       COUNT { MATCH (a)-[:STATIONED_IN]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'SENT_BY' AS type,
       COUNT { MATCH ()-[:SENT_BY]->() } AS total,
       COUNT { MATCH (:Cadre)-[:SENT_BY]->(:CityCommunity) }
         + COUNT { MATCH (:Cadre)-[:SENT_BY]->(:Enterprise) }
         + COUNT { MATCH (:Cadre)-[:SENT_BY]->(:Organisation) } AS well_formed,
       COUNT { MATCH (a)-[:SENT_BY]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'ACTIVITY' AS type,
       COUNT { MATCH ()-[:ACTIVITY]->() } AS total,
       COUNT { MATCH (:CityCommunity)-[:ACTIVITY]->(:Village) }
         + COUNT { MATCH (:Enterprise)-[:ACTIVITY]->(:Village) }
         + COUNT { MATCH (:Organisation)-[:ACTIVITY]->(:Village) } AS well_formed,
       COUNT { MATCH (a)-[:ACTIVITY]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'CLAIMED' AS type,
       COUNT { MATCH ()-[:CLAIMED]->() } AS total,
       COUNT { MATCH (:CityCommunity)-[:CLAIMED]->(:Need) }
         + COUNT { MATCH (:Enterprise)-[:CLAIMED]->(:Need) }
         + COUNT { MATCH (:Organisation)-[:CLAIMED]->(:Need) } AS well_formed,
       COUNT { MATCH (a)-[:CLAIMED]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'NEED_OF' AS type,
       COUNT { MATCH ()-[:NEED_OF]->() } AS total,
       COUNT { MATCH (:Need)-[:NEED_OF]->(:Village) } AS well_formed,
       COUNT { MATCH (a)-[:NEED_OF]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
UNION ALL
RETURN 'OFFERED_BY' AS type,
       COUNT { MATCH ()-[:OFFERED_BY]->() } AS total,
       COUNT { MATCH (:Resource)-[:OFFERED_BY]->(:CityCommunity) }
         + COUNT { MATCH (:Resource)-[:OFFERED_BY]->(:Enterprise) }
         + COUNT { MATCH (:Resource)-[:OFFERED_BY]->(:Organisation) } AS well_formed,
       COUNT { MATCH (a)-[:OFFERED_BY]->(b) WHERE a.id IS NULL OR b.id IS NULL } AS missing_id
