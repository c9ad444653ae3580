@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// An old confirmation link cannot undo an unsubscribe.
@Suite("Confirmation links after an unsubscribe", .timeLimit(.minutes(3)))
struct ConfirmationAfterUnsubscribeTests {
    @Test("After an unsubscribe, an unexpired confirmation link does not subscribe again; a new sign-up's link does")
    func confirmationAfterUnsubscribe() async throws {
        let clock = TestClock()
        try await withMailHarness(clock: clock) { mail in
            _ = try await mail.postForm("/subscribe", ["email": "reader@example.org"])
            await mail.deliver()
            let link = try #require(try mail.smtp.messages().first?.link(startingWith: "https://wire.example.org/subscription/confirm?token="))
            let token = String(link.split(separator: "=", maxSplits: 1)[1])
            clock.advance(by: 60)
            let confirmed = try await mail.postForm("/subscription/confirm", ["token": token], origin: nil)
            #expect(confirmed.status == .ok)
            #expect(try await mail.subscriber("reader@example.org")?.status == "confirmed")

            // Unsubscribe through the preferences page's button.
            let unsubscribeAction = try #require(confirmed.body.firstMatch(of: /action="(\/unsubscribe\?token=[^"]+)"/)?.1)
            clock.advance(by: 60)
            #expect(try await mail.postForm(String(unsubscribeAction).replacingOccurrences(of: "&amp;", with: "&"), [:], origin: nil).status == .ok)
            #expect(try await mail.subscriber("reader@example.org")?.status == "unsubscribed")

            // MUT: the old confirmation link, still within its 48 hours.
            clock.advance(by: 60)
            let page = try await mail.get(MailHarness.local(link))
            #expect(page.status == .gone, "the page does not offer to confirm")
            let replay = try await mail.postForm("/subscription/confirm", ["token": token], origin: nil)
            #expect(replay.status == .gone)
            #expect(try await mail.subscriber("reader@example.org")?.status == "unsubscribed")

            // Signing up again sends a new link, which works; the old one still does not.
            clock.advance(by: 60)
            #expect(try await mail.postForm("/subscribe", ["email": "reader@example.org"]).status == .ok)
            #expect(try await mail.postForm("/subscription/confirm", ["token": token], origin: nil).status == .gone, "the link from before the unsubscribe stays dead")
            #expect(try await mail.subscriber("reader@example.org")?.status == "pending")
            await mail.deliver()
            let fresh = try #require(try mail.smtp.messages().last?.link(startingWith: "https://wire.example.org/subscription/confirm?token="))
            #expect(fresh != link)
            let freshToken = String(fresh.split(separator: "=", maxSplits: 1)[1])
            #expect(try await mail.postForm("/subscription/confirm", ["token": freshToken], origin: nil).status == .ok)
            #expect(try await mail.subscriber("reader@example.org")?.status == "confirmed")
        }
    }
    @Test("A bounced address is not confirmed again by an old confirmation link; only a new sign-up's link does it")
    func confirmationAfterBounce() async throws {
        let clock = TestClock()
        try await withMailHarness(clock: clock) { mail in
            _ = try await mail.postForm("/subscribe", ["email": "gone@example.org"])
            await mail.deliver()
            let link = try #require(try mail.smtp.messages().first?.link(startingWith: "https://wire.example.org/subscription/confirm?token="))
            let token = String(link.split(separator: "=", maxSplits: 1)[1])
            clock.advance(by: 60)
            #expect(try await mail.postForm("/subscription/confirm", ["token": token], origin: nil).status == .ok)
            // The outbox found the mailbox dead.
            let id = try #require(try await mail.subscriber("gone@example.org")?.id)
            try await Bounces.record(subscriberID: id, reply: "RCPT TO → 550 5.1.1 No such user", permanent: true, at: clock.now, hub: mail.hub)
            #expect(try await mail.subscriber("gone@example.org")?.status == "bounced")
            clock.advance(by: 60)
            #expect(try await mail.postForm("/subscription/confirm", ["token": token], origin: nil).status == .gone)
            #expect(try await mail.subscriber("gone@example.org")?.status == "bounced", "still nothing goes to the dead address")
            // Its owner signs up again and confirms the new link.
            #expect(try await mail.postForm("/subscribe", ["email": "gone@example.org"]).status == .ok)
            await mail.deliver()
            let fresh = try #require(try mail.smtp.messages().last?.link(startingWith: "https://wire.example.org/subscription/confirm?token="))
            #expect(try await mail.postForm("/subscription/confirm", ["token": String(fresh.split(separator: "=", maxSplits: 1)[1])], origin: nil).status == .ok)
            #expect(try await mail.subscriber("gone@example.org")?.status == "confirmed")
        }
    }
}
