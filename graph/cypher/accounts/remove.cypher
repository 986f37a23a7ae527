// purpose: Delete the account $username; removed = 0 means there was none.
// params: $username
// returns: removed
// mode: write
MATCH (a:Account {username: $username})
WITH a, a.username AS name
DELETE a
RETURN count(name) AS removed
