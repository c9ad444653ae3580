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
            try await hub.database.transaction { database in
                try await ReleaseTransitions.move(editorsCopy, to: .published, actor: "editor", at: Date(), on: database)
            }
            await #expect(throws: ReleaseChangeError.changedMeanwhile) {
                try await hub.database.transaction { database in
                    try await ReleaseTransitions.move(membersCopy, to: .submitted, actor: "member", at: Date(), on: database)
                }
            }
            let editable = try await hub.database.transaction { database in
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

    @Test("Transactions that read and then write, side by side, wait their turn rather than fail with \"database is locked\"")
    func readThenWriteSideBySide() async throws {
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()

            // MUT: forty transactions at once, each reading what the others wrote and then writing
            let failures = await withTaskGroup(of: String?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            try await hub.database.writeTransaction { database in
                                let seen = try await SiteSettingModel.query(on: database).count()
                                try await SiteSettingModel(key: "concurrent-\(index)", value: String(seen)).create(on: database)
                            }
                            return nil
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }

            // validation
            #expect(failures.isEmpty, "\(failures.count) failed: \(failures.first ?? "")")
            let seen = try await SiteSettingModel.query(on: hub.database).filter(\.$id ~~ (0..<40).map { "concurrent-\($0)" }).all().map(\.value)
            #expect(seen.count == 40)
            if case .sqlite = location {
                #expect(Set(seen).count == 40, "each saw the ones before it: one wrote after another, never two at once")
            }
            await hub.shutdown()
        }
    }
}
