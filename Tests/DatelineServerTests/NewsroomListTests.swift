import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The newsroom's release list: the review queue, filters by status, organization and headline,
/// dates, and pages; a member sees only their organizations' releases whatever the filter says.
@Suite("Newsroom release list")
struct NewsroomListTests {
    let newsroom = NewsroomTests()

    @Test("Filters by status, organization and headline words narrow the list; its rows show dates; pages follow one another; a member's filter never reaches another organization")
    func filtersAndPages() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            // setup: Ann writes three releases, Bo one; one of Ann's is submitted, one embargoed
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let bo = try await signInFully(client, email: "b@forest.example", hub: hub, clock: clock)
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            var paths: [String: String] = [:]
            for headline in ["River report 100% done", "River budget", "Wetland survey"] {
                clock.advance(by: 60)
                paths[headline] = try #require(try await post(client, "/newsroom/releases", newsroom.draftFields(try await csrfToken(client, jar: ann), organization: "rivers-trust", headline: headline), jar: ann).location)
            }
            clock.advance(by: 60)
            _ = try await post(client, "/newsroom/releases", newsroom.draftFields(try await csrfToken(client, jar: bo), organization: "forest-fund", headline: "Forest river count"), jar: bo)
            clock.advance(by: 60)
            _ = try await post(client, "\(paths["River budget"]!)/submit", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)
            clock.advance(by: 60)
            _ = try await post(client, "\(paths["Wetland survey"]!)/submit", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)
            _ = try await post(client, "\(paths["Wetland survey"]!)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "embargo", "at": NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(3600))], jar: editor)

            func list(_ query: String, _ jar: CookieJar) async throws -> String {
                try await client.execute(uri: "/newsroom/releases\(query)", method: .get, headers: jar.header) { response in
                    #expect(response.status == .ok, "\(query)")
                    return String(buffer: response.body)
                }
            }
            func headlines(_ page: String) -> [String] {
                let table = page.components(separatedBy: #"id="all-releases""#).last ?? ""
                return table.matches(of: /<td><a href="[^"]+">([^<]+)<\/a><\/td>/).map { String($0.1) }
            }

            // MUT + validation: the editor's list and filters
            let all = try await list("", editor)
            #expect(headlines(all) == ["Wetland survey", "River budget", "Forest river count", "River report 100% done"])
            #expect(all.contains("Review queue") && all.contains("Lifts <time>"), "dates and the lift time are shown")
            #expect(headlines(try await list("?status=submitted", editor)) == ["River budget"])
            #expect(headlines(try await list("?organization=forest-fund", editor)) == ["Forest river count"])
            #expect(headlines(try await list("?q=RIVER", editor)) == ["River budget", "Forest river count", "River report 100% done"])
            #expect(headlines(try await list("?q=100%25", editor)) == ["River report 100% done"], "a % is matched as itself")
            #expect(headlines(try await list("?q=river&organization=rivers-trust&status=draft", editor)) == ["River report 100% done"])
            let none = try await list("?q=nothing-like-it", editor)
            #expect(headlines(none).isEmpty && none.contains("No release matches these filters."))
            #expect(headlines(try await list("?status=bogus&organization=%3Cx%3E&page=-4", editor)).count == 4, "unreadable filters are dropped")

            // Pages: two at a time through the access layer, then the links on the page
            let access = NewsroomAccess(user: try #require(try await UserModel.query(on: hub.database).filter(\.$email == "ed@wire.example").first()), database: try hub.database)
            var filter = NewsroomReleaseFilter()
            let first = try await access.releases(filter, per: 2)
            filter.page = 2
            let second = try await access.releases(filter, per: 2)
            filter.page = 3
            let third = try await access.releases(filter, per: 2)
            #expect(first.rows.map(\.headline) == ["Wetland survey", "River budget"] && first.hasOlder)
            #expect(second.rows.map(\.headline) == ["Forest river count", "River report 100% done"] && !second.hasOlder)
            #expect(third.rows.isEmpty)
            let submitted = try #require(first.rows.last)
            #expect(submitted.submitted != nil && !submitted.created.isEmpty && !submitted.changed.isEmpty)

            // A member: their organization only, whatever the filter asks
            #expect(headlines(try await list("", ann)) == ["Wetland survey", "River budget", "River report 100% done"])
            #expect(headlines(try await list("?organization=forest-fund", ann)).isEmpty)
            #expect(!(try await list("?q=forest", ann)).contains("Forest river count"))
            #expect(!(try await list("", ann)).contains("Review queue"))
        }
    }
}
