import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Control characters in a request path are refused before any file or route sees them.
@Suite("Control characters in paths")
struct ControlCharacterPathTests {
    @Test("A NUL or other control character in a decoded path answers 400, not a file under another type", arguments: ["%00", "%01", "%0A", "%0D", "%1F", "%7F"])
    func controlCharacterInPath(_ character: String) async throws {
        try await withApp { client, _ in
            let plain = try await client.execute(uri: "/css/site.css", method: .get) { ($0.status, $0.headers[.contentType]) }
            #expect(plain.0 == .ok)
            #expect(plain.1?.hasPrefix("text/css") == true)
            for path in ["/css/site.css\(character).txt", "/css/site.css\(character)", "/releases/x\(character)y", "/\(character)"] {
                let answer = try await client.execute(uri: path, method: .get) { ($0.status, $0.headers[.contentType], $0.headers[.contentSecurityPolicy], String(buffer: $0.body)) }
                #expect(answer.0 == .badRequest, "\(path)")
                #expect(answer.1?.hasPrefix("text/css") != true, "\(path) is not served as the stylesheet")
                #expect(answer.2 != nil, "\(path): the security headers are on the refusal too")
                #expect(!answer.3.contains("font-family"), "\(path): no stylesheet text")
            }
        }
    }
}
