import FluentKit

/// Adds the count of second-factor codes tried in a session, raised by a conditional update
/// before each code is checked, so parallel guesses cannot pass the allowance.
struct UpdateSessionsAddCodeAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions").field("code_attempts", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").deleteField("code_attempts").update()
    }
}
