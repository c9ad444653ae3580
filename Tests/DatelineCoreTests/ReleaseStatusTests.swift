import DatelineCore
import Testing

@Suite("Release status")
struct ReleaseStatusTests {
    static let allowed: Set<[ReleaseStatus]> = [
        [.draft, .submitted], [.draft, .scheduled], [.draft, .embargoed], [.draft, .published],
        [.submitted, .returned], [.submitted, .scheduled], [.submitted, .embargoed], [.submitted, .published], [.submitted, .draft],
        [.returned, .draft], [.returned, .submitted],
        [.scheduled, .published], [.scheduled, .draft], [.scheduled, .returned],
        [.embargoed, .published], [.embargoed, .draft], [.embargoed, .returned],
        [.published, .corrected], [.published, .retracted],
        [.corrected, .corrected], [.corrected, .retracted],
    ]

    @Test("Every pair of statuses is either allowed or refused, as the table says")
    func everyTransition() {
        for from in ReleaseStatus.allCases {
            for to in ReleaseStatus.allCases {
                if Self.allowed.contains([from, to]) {
                    #expect((try? from.transition(to: to)) == to, "\(from) -> \(to) should be allowed")
                } else {
                    #expect(throws: ReleaseStatusError.notAllowed(from: from, to: to)) { try from.transition(to: to) }
                }
            }
        }
    }

    @Test("A retraction is final, and only published releases can be read by the public")
    func publicStatuses() {
        #expect(ReleaseStatus.retracted.allowedNext.isEmpty)
        #expect(ReleaseStatus.allCases.filter(\.isPubliclyReadable) == [.published, .corrected, .retracted])
        #expect(!ReleaseStatus.listed.contains(.retracted))
        #expect(String(describing: ReleaseStatusError.notAllowed(from: .draft, to: .retracted)) == "A draft release cannot become retracted.")
    }
}
