// purpose: Delete the activity of $unit for $village on $date titled $title (an entry made by mistake); deleted = 0 means no such activity.
// params: $unit, $village, $date, $title
// returns: deleted
// mode: write
MATCH (u)-[a:ACTIVITY]->(v:Village {id: $village})
WHERE u.id = $unit AND a.date = $date AND a.title = $title
DELETE a
RETURN count(*) AS deleted
