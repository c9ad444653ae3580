import Foundation
import Syndication
import Testing

@Suite("IMF-fixdate")
struct IMFDateTests {
    @Test("Formats and reads RFC 9110's example, and round-trips any second")
    func roundTrip() {
        let example = Date(timeIntervalSince1970: 784_111_777)
        #expect(IMFDate.string(from: example) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(IMFDate.date(from: "Sun, 06 Nov 1994 08:49:37 GMT") == example)
        for seconds in stride(from: 0.0, to: 4_000_000_000, by: 123_456_789) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(IMFDate.date(from: IMFDate.string(from: date)) == date)
        }
        #expect(IMFDate.date(from: "Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }
}
