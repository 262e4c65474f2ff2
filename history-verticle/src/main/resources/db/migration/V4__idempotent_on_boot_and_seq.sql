-- CONTRACT.md §1: a snapshot is identified by (slug, boot_id, seq), whatever ts it carries. The unique index of V2
-- must include the partition key ts, so the same (boot_id, seq) sent again with another ts was stored twice
-- (issue 13). boot already mixes in the server (see V2), so (boot, seq) is the identity; the writer checks it here,
-- in every partition, before inserting, under an advisory lock per boot taken at the start of its transaction.
CREATE INDEX samples_boot_seq ON samples (boot, seq);
