// Generated from graph/model.py by `pairing schema --write`; do not edit by hand.
CREATE NODE TABLE IF NOT EXISTS Village(id STRING, name STRING, city STRING, county STRING, township STRING, tier STRING, weak_reasons STRING[], population INT64, party_members INT64, party_org_type STRING, leadership_size INT64, collective_income DOUBLE, industries STRING[], needs STRING[], lat DOUBLE, lon DOUBLE, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS CityCommunity(id STRING, name STRING, city STRING, county STRING, township STRING, party_members INT64, party_org_type STRING, leadership_size INT64, resources STRING[], capacity INT64, lat DOUBLE, lon DOUBLE, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS Enterprise(id STRING, name STRING, credit_code STRING, city STRING, county STRING, township STRING, industry STRING, size STRING, employees INT64, has_party_org BOOLEAN, party_members INT64, resources STRING[], capacity INT64, lat DOUBLE, lon DOUBLE, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS Organisation(id STRING, name STRING, kind STRING, level STRING, city STRING, county STRING, township STRING, party_members INT64, resources STRING[], capacity INT64, lat DOUBLE, lon DOUBLE, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS Cadre(id STRING, name STRING, role STRING, skills STRING[], birth_year INT64, education STRING, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS Need(id STRING, name STRING, kind STRING, posted DATE, status STRING, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS Resource(id STRING, name STRING, kind STRING, serves INT64, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS AuditEntry(id STRING, at STRING, actor STRING, action STRING, target STRING, before STRING, after STRING, PRIMARY KEY(id));
CREATE NODE TABLE IF NOT EXISTS Account(username STRING, password_hash STRING, role STRING, counties STRING[], created STRING, session_version INT64, failures INT64, locked_at STRING, PRIMARY KEY(username));
CREATE REL TABLE IF NOT EXISTS PAIRED_WITH(FROM CityCommunity TO Village, FROM Enterprise TO Village, FROM Organisation TO Village, since DATE, until DATE, form STRING, funds DOUBLE, projects INT64, last_activity DATE);
CREATE REL TABLE IF NOT EXISTS LEADS(FROM Village TO Village, since DATE, until DATE, mode STRING);
CREATE REL TABLE IF NOT EXISTS FUSED_WITH(FROM Enterprise TO Village, since DATE, until DATE, joint_party_org STRING);
CREATE REL TABLE IF NOT EXISTS STATIONED_IN(FROM Cadre TO Village, role STRING, since DATE, until DATE);
CREATE REL TABLE IF NOT EXISTS SENT_BY(FROM Cadre TO CityCommunity, FROM Cadre TO Enterprise, FROM Cadre TO Organisation);
CREATE REL TABLE IF NOT EXISTS ACTIVITY(FROM CityCommunity TO Village, FROM Enterprise TO Village, FROM Organisation TO Village, date DATE, title STRING, kind STRING, funds DOUBLE, beneficiaries INT64, status STRING, note STRING);
CREATE REL TABLE IF NOT EXISTS CLAIMED(FROM CityCommunity TO Need, FROM Enterprise TO Need, FROM Organisation TO Need, claimed DATE, status STRING, due DATE, done DATE);
CREATE REL TABLE IF NOT EXISTS NEED_OF(FROM Need TO Village);
CREATE REL TABLE IF NOT EXISTS OFFERED_BY(FROM Resource TO CityCommunity, FROM Resource TO Enterprise, FROM Resource TO Organisation);
