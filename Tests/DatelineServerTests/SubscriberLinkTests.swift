@testable import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Subscriber link")
struct SubscriberLinkTests {
    @Test("The operator's preferences link opens the subscriber's page; an unknown address gets none and a malformed one a clear error")
    func preferencesLink() async throws {
        let clock = TestClock(Date())
        try await withApp(clock: clock) { client, store in
            _ = try await SubscriberImport.run(lines: ["Reader@Example.org"], instant: false, hub: store.hub)
            let settings = testSettings(try store.hub.location)
            let link = try #require(try await SubscriberLinks.preferences(email: "reader@example.org", hub: store.hub, settings: settings, now: clock.now))
            #expect(link.hasPrefix(settings.baseURL.absoluteString + "/subscription?token="))
            let page = try await client.execute(uri: String(link.dropFirst(settings.baseURL.absoluteString.count)), method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(page.contains("reader@example.org"))
            #expect(try await SubscriberLinks.preferences(email: "nobody@example.org", hub: store.hub, settings: settings) == nil)
            await #expect(throws: SubscriberLinkError.self) { try await SubscriberLinks.preferences(email: "not an address", hub: store.hub, settings: settings) }
        }
    }
}
