-- Knowledge-base documents keep their product terms and competitors, so a stored document is complete
-- (its content_hash covers them) and readers need not go back to the files.
alter table coaching.kb_documents
    add column terms jsonb not null default '[]'::jsonb,
    add column competitors jsonb not null default '[]'::jsonb;
