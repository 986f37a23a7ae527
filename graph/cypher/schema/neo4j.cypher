// Generated from graph/model.py by `pairing schema --write`; do not edit by hand.
CREATE CONSTRAINT village_id IF NOT EXISTS FOR (n:Village) REQUIRE n.id IS UNIQUE;
CREATE INDEX village_county IF NOT EXISTS FOR (n:Village) ON (n.county);
CREATE CONSTRAINT citycommunity_id IF NOT EXISTS FOR (n:CityCommunity) REQUIRE n.id IS UNIQUE;
CREATE INDEX citycommunity_county IF NOT EXISTS FOR (n:CityCommunity) ON (n.county);
CREATE CONSTRAINT enterprise_id IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.id IS UNIQUE;
CREATE INDEX enterprise_county IF NOT EXISTS FOR (n:Enterprise) ON (n.county);
CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE;
CREATE INDEX organisation_county IF NOT EXISTS FOR (n:Organisation) ON (n.county);
CREATE CONSTRAINT cadre_id IF NOT EXISTS FOR (n:Cadre) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT need_id IF NOT EXISTS FOR (n:Need) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT resource_id IF NOT EXISTS FOR (n:Resource) REQUIRE n.id IS UNIQUE;
CREATE INDEX village_tier IF NOT EXISTS FOR (n:Village) ON (n.tier);
CREATE CONSTRAINT auditentry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT account_username IF NOT EXISTS FOR (n:Account) REQUIRE n.username IS UNIQUE;
CREATE INDEX auditentry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at);
