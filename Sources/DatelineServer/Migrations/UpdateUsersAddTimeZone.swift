import FluentKit

/// Adds the IANA time zone a newsroom user reads times in (lift and publication times beside
/// the release's own zone); null until they choose one.
struct UpdateUsersAddTimeZone: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("time_zone", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("time_zone").update()
    }
}
