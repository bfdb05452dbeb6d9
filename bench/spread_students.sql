-- Spreads the copied cases' parties over many students, as at a university,
-- where a student is a party to a handful of cases. bench/compare.sh copies
-- the seeded cases with their parties, so without this one student (Alice)
-- is a party to nearly every case and PostgreSQL plans her page for that.
-- The seeded students (Alice, Ben) keep the cases seeded through the API.
--   psql -h 127.0.0.1 -U postgres -d bench_compare -v students=40000 -f bench/spread_students.sql
-- (40,000 students for 100,000 cases: about five cases each.) Run it once,
-- after compare.sh has built the data.
\set ON_ERROR_STOP on
INSERT INTO person (id, subject, kind, display_name, email, sis_number, created_at, updated_at)
  SELECT gen_random_uuid(), 'bench-student-' || g, 'STUDENT', 'Student ' || g, 'student' || g || '@bench.ac.uk', 'BENCH' || g, now(), now()
  FROM generate_series(1, greatest(:students, 1)) g;
CREATE TEMP TABLE students AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM person WHERE subject LIKE 'bench-student-%';
UPDATE party p SET person_id = s.id
  FROM (SELECT pc.id, row_number() OVER (ORDER BY pc.id) AS rn
        FROM party pc JOIN cases c ON c.id = pc.case_id
        WHERE c.reference LIKE 'MC-BENCH-%' AND pc.person_id IS NOT NULL) x
  JOIN students s ON s.n = x.rn % (SELECT count(*) FROM students)
  WHERE p.id = x.id;
ANALYZE;
