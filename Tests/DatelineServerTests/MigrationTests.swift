import DatelineServer
import FluentKit
import Foundation
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let tables = ["organizations", "media_contacts", "topics", "releases", "release_contacts", "release_topics"]

    func tableNames(_ hub: DatabaseHub) async throws -> Set<String> {
        let sql = try hub.database as! any SQLDatabase
        let rows: [any SQLRow]
        switch hub.location {
        case .sqlite:
            rows = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all()
        case .postgres:
            rows = try await sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'").all()
        }
        return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
    }

    @Test("Every migration runs up, reverts down to an empty schema, and runs up again")
    func upDownUp() async throws {
        try await TestDatabase.withFresh { location in
            // setup
            let hub = try DatabaseHub(location: location, logger: quietLogger)

            // MUT + validation
            try await hub.migrate()
            #expect(Set(Self.tables).isSubset(of: try await tableNames(hub)))
            try await hub.revertAll()
            #expect(Set(Self.tables).isDisjoint(with: try await tableNames(hub)))
            try await hub.migrate()
            #expect(Set(Self.tables).isSubset(of: try await tableNames(hub)))
            if case .sqlite = location {
                let sql = try hub.database as! any SQLDatabase
                let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                #expect(mode == "wal")
            }
            await hub.shutdown()
        }
    }
}
