// Generated from graph/model.py with _templates/stats_counts.cypher.in; edit those, run `pairing schema --write`.
// purpose: How many nodes of each label and links of each type the store holds.
// params: none
// returns: Village, CityCommunity, Enterprise, Organisation, Cadre, Need, Resource, PAIRED_WITH, LEADS, FUSED_WITH, STATIONED_IN, SENT_BY, ACTIVITY, CLAIMED, NEED_OF, OFFERED_BY
// mode: read
RETURN COUNT { MATCH (:Village) } AS Village,
       COUNT { MATCH (:CityCommunity) } AS CityCommunity,
       COUNT { MATCH (:Enterprise) } AS Enterprise,
       COUNT { MATCH (:Organisation) } AS Organisation,
       COUNT { MATCH (:Cadre) } AS Cadre,
       COUNT { MATCH (:Need) } AS Need,
       COUNT { MATCH (:Resource) } AS Resource,
       COUNT { MATCH ()-[:PAIRED_WITH]->() } AS PAIRED_WITH,
       COUNT { MATCH ()-[:LEADS]->() } AS LEADS,
       COUNT { MATCH ()-[:FUSED_WITH]->() } AS FUSED_WITH,
       COUNT { MATCH ()-[:STATIONED_IN]->() } AS STATIONED_IN,
       COUNT { MATCH ()-[:SENT_BY]->() } AS SENT_BY,
       COUNT { MATCH ()-[:ACTIVITY]->() } AS ACTIVITY,
       COUNT { MATCH ()-[:CLAIMED]->() } AS CLAIMED,
       COUNT { MATCH ()-[:NEED_OF]->() } AS NEED_OF,
       COUNT { MATCH ()-[:OFFERED_BY]->() } AS OFFERED_BY
