import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ReleaseImport
import Testing

/// An editor's controls on an embargoed or scheduled release: move its time, publish it now, or
/// hold it back; each recorded, none of them racing the scheduler into a double publication or a
/// publication the editor stopped.
@Suite("Newsroom: embargoed and scheduled releases")
struct NewsroomWaitingTests {
    let newsroom = NewsroomTests()

    /// A release written by the member, submitted, and embargoed by the editor until `lift`
    /// (`YYYY-MM-DDTHH:MM`, UTC): its newsroom path and id.
    func embargoed(_ client: any TestClientProtocol, member: CookieJar, editor: CookieJar, headline: String, lift: String) async throws -> (path: String, id: String) {
        let path = try #require(try await post(client, "/newsroom/releases", newsroom.draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: headline), jar: member).location)
        _ = try await post(client, "\(path)/submit", ["_csrf": try await csrfToken(client, jar: member)], jar: member)
        let approved = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "embargo", "at": lift], jar: editor)
        #expect(approved.status == .seeOther, "\(approved.body.prefix(300))")
        return (path, String(path.split(separator: "/").last!))
    }

    func history(_ hub: DatabaseHub, _ id: String) async throws -> [ReleaseEventModel] {
        try await ReleaseEventModel.query(on: hub.database).filter(\.$release.$id == id).sort(\.$at).all()
    }

    @Test("An editor sees the lift time in the release's zone and UTC, moves it in a named zone, publishes early, or holds back; each is in the history; members get none of it")
    func editorControls() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            // setup
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let first = try await embargoed(client, member: member, editor: editor, headline: "Wetland survey", lift: NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(7200)))
            let editorPage = try await client.execute(uri: first.path, method: .get, headers: editor.header) { String(buffer: $0.body) }
            #expect(editorPage.contains(#"id="publish-now""#) && editorPage.contains(#"id="hold""#) && editorPage.contains("The lift time is"))
            #expect(editorPage.contains("UTC") && !editorPage.contains("In your time zone"))
            // The editor chooses their own zone: the lift time shows in it too.
            let home = try await client.execute(uri: "/newsroom", method: .get, headers: editor.header) { String(buffer: $0.body) }
            #expect(try await post(client, "/newsroom/time-zone", ["_csrf": hiddenCSRF(home) ?? "", "zone": "Asia/Tokyo"], jar: editor).status == .seeOther)
            #expect(try await post(client, "/newsroom/time-zone", ["_csrf": hiddenCSRF(home) ?? "", "zone": "Mars/Olympus"], jar: editor).status == .badRequest)
            let inTokyo = try await client.execute(uri: first.path, method: .get, headers: editor.header) { String(buffer: $0.body) }
            #expect(inTokyo.contains("In your time zone:") && inTokyo.contains("UTC+09:00"), "the lift time in the editor's zone")
            let memberPage = try await client.execute(uri: first.path, method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(!memberPage.contains(#"id="publish-now""#))
            let memberTry = try await post(client, "\(first.path)/publish-now", ["_csrf": try await csrfToken(client, jar: member)], jar: member)
            #expect(memberTry.status == .forbidden)

            // A journalist's embargo link, which expires at the lift time.
            let links = EmbargoLinks(hub: hub, settings: testSettings(hub.location), clock: { clock.now })
            try await links.addJournalist(name: "Jo Reporter", email: "jo@paper.example", outlet: nil)
            _ = try await links.issue(release: first.id, journalistEmail: "jo@paper.example")

            // MUT: move the lift time, on New York's wall clock
            let csrf = try await csrfToken(client, jar: editor)
            let target = clock.now.addingTimeInterval(5 * 3600)
            var newYork = Calendar(identifier: .gregorian)
            newYork.timeZone = TimeZone(identifier: "America/New_York")!
            let wall = newYork.dateComponents([.year, .month, .day, .hour, .minute], from: target)
            let local = String(format: "%04d-%02d-%02dT%02d:%02d", wall.year!, wall.month!, wall.day!, wall.hour!, wall.minute!)
            let moved = try await post(client, "\(first.path)/waiting-time", ["_csrf": csrf, "at": local, "zone": "America/New_York", "note": "Minister delayed"], jar: editor)
            #expect(moved.status == .seeOther, "\(moved.body.prefix(300))")
            let stored = try #require(try await ReleaseModel.find(first.id, on: hub.database))
            #expect(stored.status == "embargoed")
            #expect(stored.embargoUntil.map { abs($0.timeIntervalSince(target)) < 60 } == true, "\(String(describing: stored.embargoUntil)) vs \(target)")
            #expect(try await history(hub, first.id).last?.note?.contains("Lift time moved from") == true)
            let link = try #require(try await EmbargoLinkModel.query(on: hub.database).first())
            #expect(link.expiresAt == stored.embargoUntil, "the journalist's link follows the lift time")
            #expect(try await history(hub, first.id).last?.note?.contains("Minister delayed") == true)
            let past = try await post(client, "\(first.path)/waiting-time", ["_csrf": csrf, "at": NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(-60))], jar: editor)
            #expect(past.status == .badRequest && past.body.contains("in the future"))
            let unreadable = try await post(client, "\(first.path)/waiting-time", ["_csrf": csrf, "at": "soon", "zone": "Mars/Olympus"], jar: editor)
            #expect(unreadable.status == .badRequest)
            #expect(try await client.execute(uri: "/releases/\(stored.slug)", method: .get) { $0.status } == .notFound)

            // MUT: publish now
            let early = try await post(client, "\(first.path)/publish-now", ["_csrf": csrf, "note": "Minister spoke early"], jar: editor)
            #expect(early.status == .seeOther, "\(early.body.prefix(300))")
            let published = try #require(try await ReleaseModel.find(first.id, on: hub.database))
            #expect(published.status == "published")
            #expect(published.embargoUntil.map { abs($0.timeIntervalSince(clock.now)) < 1 } == true, "the lift time is the moment of publication")
            let page = try await client.execute(uri: "/releases/\(published.slug)", method: .get) { ($0.status, String(buffer: $0.body)) }
            #expect(page.0 == .ok)
            #expect(page.1.contains("— lifted"), "after the lift the timing line says so")
            let last = try #require(try await history(hub, first.id).last)
            #expect(last.fromStatus == "embargoed" && last.toStatus == "published" && last.actor == "ed@wire.example")
            #expect(last.note?.hasPrefix("Published before its lift time") == true)
            #expect(last.note?.contains("Minister spoke early") == true)
            let again = try await post(client, "\(first.path)/publish-now", ["_csrf": csrf], jar: editor)
            #expect(again.status == .badRequest, "a published release has no time to change")

            // MUT: hold a second release back
            let second = try await embargoed(client, member: member, editor: editor, headline: "Forest count", lift: NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(3600)))
            let held = try await post(client, "\(second.path)/hold", ["_csrf": csrf, "note": "Figures wrong"], jar: editor)
            #expect(held.status == .seeOther)
            let draft = try #require(try await ReleaseModel.find(second.id, on: hub.database))
            #expect(draft.status == "draft")
            clock.advance(by: 7200)
            await ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now }).publishDue()
            #expect(try await ReleaseModel.find(second.id, on: hub.database)?.status == "draft", "a held release is not published at its old lift time")
            #expect(try await client.execute(uri: "/releases/\(draft.slug)", method: .get) { $0.status } == .notFound)
            let heldEvent = try #require(try await history(hub, second.id).last)
            #expect(heldEvent.fromStatus == "embargoed" && heldEvent.toStatus == "draft" && heldEvent.note == "Figures wrong")
        }
    }

    @Test("The scheduler and the editor: a lift time moved later is not published at the old time; once the time has come, moving or holding is refused and the release is published once")
    func againstTheScheduler() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let scheduler = ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now })
            let csrf = try await csrfToken(client, jar: editor)

            // A lift time moved from one hour to three: nothing at one hour and a half, published at three.
            let moved = try await embargoed(client, member: member, editor: editor, headline: "Moved later", lift: NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(3600)))
            _ = try await post(client, "\(moved.path)/waiting-time", ["_csrf": csrf, "at": NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(3 * 3600))], jar: editor)
            clock.advance(by: 5400)
            await scheduler.publishDue()
            #expect(try await ReleaseModel.find(moved.id, on: hub.database)?.status == "embargoed")
            clock.advance(by: 2 * 3600)
            await scheduler.publishDue()
            #expect(try await ReleaseModel.find(moved.id, on: hub.database)?.status == "published")

            // The editor's page was read before the lift; the lift time comes before the editor acts.
            let due = try await embargoed(client, member: member, editor: editor, headline: "Due now", lift: NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(600)))
            clock.advance(by: 601)
            let late = try await post(client, "\(due.path)/waiting-time", ["_csrf": csrf, "at": NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(3600))], jar: editor)
            #expect(late.status == .badRequest && late.body.contains("has come"))
            let lateHold = try await post(client, "\(due.path)/hold", ["_csrf": csrf], jar: editor)
            #expect(lateHold.status == .badRequest && lateHold.body.contains("has come"), "holding back is refused once the time has come, too")
            #expect(try await ReleaseModel.find(due.id, on: hub.database)?.status == "embargoed")
            await scheduler.publishDue()
            let tooLate = try await post(client, "\(due.path)/hold", ["_csrf": csrf], jar: editor)
            #expect(tooLate.status == .badRequest || tooLate.status == .conflict)
            #expect(try await ReleaseModel.find(due.id, on: hub.database)?.status == "published")
            #expect(try await history(hub, due.id).filter { $0.toStatus == "published" }.count == 1)

            // A stale copy, as a request read just before the scheduler's publication would hold it.
            let raced = try await embargoed(client, member: member, editor: editor, headline: "Raced", lift: NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(600)))
            let stale = try #require(try await ReleaseModel.find(raced.id, on: hub.database))
            clock.advance(by: 601)
            await scheduler.publishDue()
            await #expect(throws: ReleaseChangeError.self) {
                try await hub.write { try await ReleaseTransitions.move(stale, to: .draft, actor: "ed@wire.example", at: clock.now, on: $0) }
            }
            #expect(try await ReleaseModel.find(raced.id, on: hub.database)?.status == "published")
        }
    }

    @Test("Lift times read with their zone and offset; the timing line says when an embargo has lifted")
    func liftTimeText() {
        let lift = ISO8601.parse("2026-12-08T14:00:00Z")!
        // ICU puts a narrow no-break space before AM and PM.
        func text(_ zone: String) -> String { ReleaseTiming.liftTimeText(lift, in: TimeZone(identifier: zone)!).replacingOccurrences(of: "\u{202F}", with: " ") }
        #expect(text("America/New_York") == "December 8, 2026 at 9:00 AM EST (UTC\u{2212}05:00)")
        #expect(text("UTC") == "December 8, 2026 at 2:00 PM UTC")
        #expect(text("Europe/London") == "December 8, 2026 at 2:00 PM GMT (UTC+00:00)")
        #expect(text("Asia/Kolkata") == "December 8, 2026 at 7:30 PM UTC+05:30")
        let berlin = ReleaseTiming.embargoed(until: lift).timingLine(in: TimeZone(identifier: "Europe/Berlin")!, lifted: true).replacingOccurrences(of: "\u{202F}", with: " ")
        #expect(berlin == "Embargoed until December 8, 2026 at 3:00 PM UTC+01:00 — lifted")
        #expect(!ReleaseTiming.embargoed(until: lift).timingLine().contains("lifted"))
    }
}
