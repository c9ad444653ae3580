@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One mailbox cannot be flooded through its address variants (stranger+1@, +2@ …).
@Suite("Sign-up limit per mailbox", .timeLimit(.minutes(3)))
struct MailboxFloodTests {
    @Test("The per-address sign-up limit counts a mailbox's variants (+tags, case, Gmail's dots) as one mailbox")
    func plusAddressFlood() async throws {
        try await withMailHarness { mail in
            // Three variants of one mailbox go through; the fourth is refused.
            for variant in ["stranger+1@example.org", "stranger+2@example.org", "Stranger+news@EXAMPLE.org"] {
                #expect(try await mail.postForm("/subscribe", ["email": variant]).status == .ok, "\(variant)")
            }
            #expect(try await mail.postForm("/subscribe", ["email": "stranger+3@example.org"]).status == .tooManyRequests)
            #expect(try await mail.postForm("/subscribe", ["email": "stranger@example.org"]).status == .tooManyRequests, "the bare address is the same mailbox")
            // Gmail ignores dots in the local part and reads googlemail.com as gmail.com.
            for variant in ["j.doe@gmail.com", "jdoe+x@googlemail.com", "J.D.O.E@gmail.com"] {
                #expect(try await mail.postForm("/subscribe", ["email": variant]).status == .ok, "\(variant)")
            }
            #expect(try await mail.postForm("/subscribe", ["email": "jd.oe+y@gmail.com"]).status == .tooManyRequests)
            // Another mailbox is not affected: dots count elsewhere, and a different local part is a different mailbox.
            #expect(try await mail.postForm("/subscribe", ["email": "s.tranger@example.org"]).status == .ok)
            await mail.deliver()
            let messages = try mail.smtp.messages()
            #expect(messages.filter { $0.envelopeTo.hasPrefix("stranger") && $0.envelopeTo.hasSuffix("@example.org") }.count == 3, "three messages reached the stranger's mailbox")
            #expect(messages.count == 7)
        }
    }

    @Test("A mailbox key: lower-cased, +tag removed, Gmail's dots and googlemail.com folded; other domains keep their dots")
    func mailboxKey() {
        #expect(Mailbox.key("Stranger+1@Example.ORG") == "stranger@example.org")
        #expect(Mailbox.key("stranger@example.org") == "stranger@example.org")
        #expect(Mailbox.key("s.tranger+a+b@example.org") == "s.tranger@example.org")
        #expect(Mailbox.key("J.Doe+x@googlemail.com") == "jdoe@gmail.com")
        #expect(Mailbox.key("+only@example.org") == "+only@example.org", "a local part that is only a tag stays as it is")
    }
}
