-- The rows a create through the API gives a plan, for the plans the bench's load phase stored
-- without it (created_by 'bench-load'): copied from the plans created through the API into the
-- same database (by `bench/ingest_cpu.py --keep-plans`), each loaded plan taking those of one of
-- them (by id modulo their count) with its own plan id, student, keys and new random ids. So a
-- copy of a loaded national database has every table a national ingest fills at its size
-- (workplace periods, surveys with their events and jobs, change rows, audit records), for
-- measuring what a write costs there. Run on a copy only (its audit chains' hashes do not
-- verify afterwards):
--
--     psql -d copy_of_a_loaded_national_database -f bench/fill_like_api.sql
\set ON_ERROR_STOP on
\timing on
CREATE TABLE fill_template AS
    SELECT id AS tid, (row_number() OVER (ORDER BY id)) - 1 AS k FROM hoks WHERE created_by <> 'bench-load';
CREATE TABLE fill_map AS
    SELECT h.id AS hid, h.oppija_oid, h.koulutustoimija_oid, t.tid
    FROM hoks h JOIN fill_template t ON t.k = h.id % (SELECT count(*) FROM fill_template)
    WHERE h.created_by = 'bench-load';
CREATE INDEX ON fill_map (tid);
INSERT INTO workplace_period (hoks_id, module_id, unit_module_id, yksiloiva_tunniste, alku, loppu,
    instructor_email, instructor_name, workplace_name, summary, has_instructor_contact)
SELECT m.hid, gen_random_uuid()::text, gen_random_uuid()::text, w.yksiloiva_tunniste, w.alku, w.loppu,
    w.instructor_email, w.instructor_name, w.workplace_name, w.summary, w.has_instructor_contact
FROM fill_map m JOIN workplace_period w ON w.hoks_id = m.tid ORDER BY m.hid, w.id;
CREATE TABLE fill_fmap AS
    SELECT f.id AS fid, m.hid, m.oppija_oid, m.koulutustoimija_oid,
        nextval(pg_get_serial_sequence('feedback', 'id')) AS nid
    FROM fill_map m JOIN feedback f ON f.hoks_id = m.tid ORDER BY m.hid, f.id;
INSERT INTO feedback (id, key, kind, state, reason, hoks_id, oppija_oid, opiskeluoikeus_oid,
    koulutustoimija_oid, oppilaitos_oid, herate_date, funding_period, period_tunniste, valid_from,
    valid_to, request_id, arvo_tunniste, link, details, created_at, updated_at, mail_group)
SELECT fm.nid,
    CASE split_part(f.key, '|', 1)
        WHEN 'start' THEN 'start|' || fm.oppija_oid || '|' || fm.koulutustoimija_oid || '|' || split_part(f.key, '|', 4)
        ELSE 'tep|' || fm.hid || '|' || split_part(f.key, '|', 3) END,
    f.kind, f.state, f.reason, fm.hid, fm.oppija_oid, h.opiskeluoikeus_oid, f.koulutustoimija_oid,
    f.oppilaitos_oid, f.herate_date, f.funding_period, f.period_tunniste, f.valid_from, f.valid_to,
    gen_random_uuid()::text, f.arvo_tunniste, f.link, f.details, f.created_at, f.updated_at, f.mail_group
FROM fill_fmap fm JOIN feedback f ON f.id = fm.fid JOIN hoks h ON h.id = fm.hid ORDER BY fm.nid;
INSERT INTO feedback_event (feedback_id, at, event, old_state, new_state, reason, details)
SELECT fm.nid, e.at, e.event, e.old_state, e.new_state, e.reason, e.details
FROM fill_fmap fm JOIN feedback_event e ON e.feedback_id = fm.fid ORDER BY fm.nid, e.id;
INSERT INTO feedback_job (key, kind, feedback_id, payload, state, due_at, attempts, created_at)
SELECT 'handle|' || fm.nid, j.kind, fm.nid, j.payload, j.state, j.due_at, j.attempts, j.created_at
FROM fill_fmap fm JOIN feedback_job j ON j.feedback_id = fm.fid ORDER BY fm.nid;
INSERT INTO hoks_change (txid, hoks_id, revision, kind, at, oppilaitos_oid, koulutustoimija_oid)
SELECT c.txid, m.hid, c.revision, c.kind, c.at, h.oppilaitos_oid, h.koulutustoimija_oid
FROM fill_map m JOIN hoks_change c ON c.hoks_id = m.tid JOIN hoks h ON h.id = m.hid ORDER BY m.hid;
CREATE TABLE fill_amap AS
    SELECT m.hid, a.id AS aid, a.chain,
        (SELECT length FROM audit_chain WHERE chain = a.chain)
            + row_number() OVER (PARTITION BY a.chain ORDER BY m.hid) AS position
    FROM fill_map m JOIN audit_event a ON a.hoks_id = m.tid AND a.operation = 'hoks.create';
INSERT INTO audit_event (chain, position, occurred_at, request_id, subject_kind, subject_id,
    organisation_oid, role, operation, outcome, hoks_id, oppija_oid, details, prev_hash, hash)
SELECT am.chain, am.position, a.occurred_at, a.request_id, a.subject_kind, a.subject_id,
    a.organisation_oid, a.role, a.operation, a.outcome, am.hid, h.oppija_oid, a.details, a.prev_hash, a.hash
FROM fill_amap am JOIN audit_event a ON a.id = am.aid JOIN hoks h ON h.id = am.hid ORDER BY am.hid;
UPDATE audit_chain c SET length = c.length + n.added
FROM (SELECT chain, count(*) AS added FROM fill_amap GROUP BY chain) n WHERE n.chain = c.chain;
DROP TABLE fill_template, fill_map, fill_fmap, fill_amap;
VACUUM ANALYZE;
