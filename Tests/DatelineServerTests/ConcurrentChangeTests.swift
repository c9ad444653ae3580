import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import ReleaseImport
import Testing

@Suite("Concurrent changes")
struct ConcurrentChangeTests {
    @Test("A status change made from a stale copy is refused instead of undoing someone else's")
    func staleCopy() async throws {
        try await TestDatabase.withFresh { location in
            // setup: two copies of the same draft, as two people would have
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            var draft = ImportedRelease(headline: "Budget", language: "en")
            draft.issuer = "Rivers Trust"
            draft.body = ["Text."]
            guard case .imported(let id, _, _) = try await ReleaseStore(hub: hub).store(draft, options: ImportOptions(publish: false)) else {
                Issue.record("not imported"); return
            }
            let editorsCopy = try #require(try await ReleaseModel.find(id, on: hub.database))
            let membersCopy = try #require(try await ReleaseModel.find(id, on: hub.database))

            // MUT: the editor publishes; then the member, from the older copy, submits and edits
            try await hub.write { database in
                try await ReleaseTransitions.move(editorsCopy, to: .published, actor: "editor", at: Date(), on: database)
            }
            await #expect(throws: ReleaseChangeError.changedMeanwhile) {
                try await hub.write { database in
                    try await ReleaseTransitions.move(membersCopy, to: .submitted, actor: "member", at: Date(), on: database)
                }
            }
            let editable = try await hub.write { database in
                try await ReleaseTransitions.claimForEdit(id, statuses: [.draft, .returned], at: Date(), on: database)
            }

            // validation
            #expect(editable == false)
            let release = try #require(try await ReleaseModel.find(id, on: hub.database))
            #expect(release.status == "published")
            let history = try await ReleaseEventModel.query(on: hub.database).filter(\.$release.$id == id).sort(\.$at).all().map(\.toStatus)
            #expect(history == ["draft", "published"])
            await hub.shutdown()
        }
    }
}
