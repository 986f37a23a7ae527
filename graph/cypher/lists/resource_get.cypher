// purpose: The resource $resource (no rows if there is none), so that a new resource's id is refused when taken.
// params: $resource
// returns: resource_id, name
// mode: read
MATCH (r:Resource {id: $resource})
RETURN r.id AS resource_id, r.name AS name
