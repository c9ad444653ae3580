import Foundation
@testable import ReleaseImport
import Testing

/// A media contact written on one line as name, job title and organization.
@Suite("Contact title between name and organization")
struct ContactTitleTests {
    @Test("'Jane Doe, Press Officer, Rivers Trust' gives the title and the organization, and the issuer is the organization, even a name-like one",
          arguments: ["Rivers Trust", "Harbor Health Alliance", "Northfield Library Board"])
    func nameTitleOrganization(_ organization: String) throws {
        let text = """
            FOR IMMEDIATE RELEASE

            Media contact:
            Jane Doe, Press Officer, Rivers Trust
            jane.doe@riverstrust.example.org
            +1 202 555 0100

            Rivers Trust Opens Buoy Station 5 on the Lower Reach

            WASHINGTON, Dec. 1, 2026 — Rivers Trust today opened buoy station number 5 on the lower reach of the river, the organization said.

            "Station 5 gives us hourly readings where the river meets the estuary," said Jane Doe.

            ###
            """
            .replacingOccurrences(of: "Rivers Trust", with: organization)
            .replacingOccurrences(of: "riverstrust", with: organization.lowercased().replacingOccurrences(of: " ", with: ""))
        let release = try ReleaseImporter.extract(data: Data(text.utf8))
        #expect(release.issuer == organization)
        let contact = try #require(release.contacts.first)
        #expect(contact.name == "Jane Doe" && contact.title == "Press Officer" && contact.organization == organization)
    }
}
