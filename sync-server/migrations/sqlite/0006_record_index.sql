-- The student, class or case a mutation creates (`RecordRef::key`: `student:<id>`,
-- `class:<id>`, `case:<id>`), so a push can ask whether the school holds the records its
-- changes name (domain::sync::batch). On rejections, only for a refusal no resend can fix: a
-- change naming that record is refused too, rather than held for a record that never comes.
ALTER TABLE mutations ADD COLUMN defines TEXT;
ALTER TABLE rejections ADD COLUMN defines TEXT;

-- Mutations stored before this column: the same keys, read from the bodies.
UPDATE mutations SET defines = CASE
    WHEN json_extract(body, '$.change.PutStudent.id') IS NOT NULL
        THEN 'student:' || json_extract(body, '$.change.PutStudent.id')
    WHEN json_extract(body, '$.change.PutClass.id') IS NOT NULL
        THEN 'class:' || json_extract(body, '$.change.PutClass.id')
    WHEN json_extract(body, '$.change.OpenCase.id') IS NOT NULL
        THEN 'case:' || json_extract(body, '$.change.OpenCase.id')
END;
UPDATE rejections SET defines = CASE
    WHEN json_extract(body, '$.change.PutStudent.id') IS NOT NULL
        THEN 'student:' || json_extract(body, '$.change.PutStudent.id')
    WHEN json_extract(body, '$.change.PutClass.id') IS NOT NULL
        THEN 'class:' || json_extract(body, '$.change.PutClass.id')
    WHEN json_extract(body, '$.change.OpenCase.id') IS NOT NULL
        THEN 'case:' || json_extract(body, '$.change.OpenCase.id')
END
WHERE json_extract(reason, '$.kind') NOT IN ('counter_reused', 'broken_chain');

CREATE INDEX mutations_defining ON mutations (school, defines) WHERE defines IS NOT NULL;
CREATE INDEX rejections_defining ON rejections (defines) WHERE defines IS NOT NULL;
