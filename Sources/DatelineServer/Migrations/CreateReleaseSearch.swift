import FluentKit
import SQLKit

/// The full-text index of listed releases, filled for the releases an existing database holds.
/// SQLite: the FTS5 table `release_search` and its rowid map `release_search_ids`
/// (``SQLiteReleaseSearch``). PostgreSQL: `releases.search_vector` with a GIN index, and a text
/// search configuration `dateline_<language>` per Snowball stemmer the server ships, without
/// stop words (``PostgresReleaseSearch``); stemmers a server lacks are skipped.
struct CreateReleaseSearch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("CREATE TABLE release_search_ids (search_rowid INTEGER PRIMARY KEY, release_id TEXT NOT NULL UNIQUE)").run()
            try await sql.raw("""
                CREATE VIRTUAL TABLE release_search USING fts5(headline, subheadline, body, filters, content='', contentless_delete=1, \
                tokenize='porter unicode61 remove_diacritics 2')
                """).run()
        } else {
            try await sql.raw("ALTER TABLE releases ADD COLUMN search_vector tsvector").run()
            for language in Set(PostgresReleaseSearch.configurations.values).sorted() {
                // Names are constants of this file's list; a stemmer the server lacks fails its block only.
                try await sql.raw("""
                    DO $$ BEGIN \
                    CREATE TEXT SEARCH DICTIONARY dateline_\(unsafeRaw: language)_stem (TEMPLATE = snowball, LANGUAGE = \(unsafeRaw: language)); \
                    CREATE TEXT SEARCH CONFIGURATION dateline_\(unsafeRaw: language) (COPY = simple); \
                    ALTER TEXT SEARCH CONFIGURATION dateline_\(unsafeRaw: language) ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part \
                    WITH dateline_\(unsafeRaw: language)_stem; \
                    EXCEPTION WHEN others THEN NULL; END $$
                    """).run()
            }
        }
        try await SearchIndex.backfill(on: sql)
        if sql.dialect.name != "sqlite" {
            // Built after the backfill: one pass over the vectors instead of a million inserts.
            try await sql.raw("CREATE INDEX releases_search ON releases USING GIN (search_vector)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TABLE IF EXISTS release_search").run()
            try await sql.raw("DROP TABLE IF EXISTS release_search_ids").run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS releases_search").run()
            try await sql.raw("ALTER TABLE releases DROP COLUMN IF EXISTS search_vector").run()
            for language in Set(PostgresReleaseSearch.configurations.values).sorted() {
                try await sql.raw("DROP TEXT SEARCH CONFIGURATION IF EXISTS dateline_\(unsafeRaw: language)").run()
                try await sql.raw("DROP TEXT SEARCH DICTIONARY IF EXISTS dateline_\(unsafeRaw: language)_stem").run()
            }
        }
    }
}
