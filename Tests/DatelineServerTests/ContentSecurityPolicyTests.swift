@testable import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// The Content-Security-Policy every response carries, and the site's pages checked against it.
@Suite("Content-Security-Policy")
struct ContentSecurityPolicyTests {
    @Test("Every page carries a policy that allows no script, and the site's own styles, forms and JSON-LD still fit it")
    func contentSecurityPolicy() async throws {
        try await withApp { client, store in
            let outcome = try await store.store(ReleaseImporter.extract(text: try seedText()), options: ImportOptions(publish: true))
            guard case .imported(_, let slug, _) = outcome else { Issue.record("not imported: \(outcome)"); return }
            let release = try await client.execute(uri: "/releases/\(slug)", method: .get) { ($0.status, $0.headers[.contentSecurityPolicy] ?? "", String(buffer: $0.body)) }
            #expect(release.0 == .ok)
            let directives = Dictionary(uniqueKeysWithValues: release.1.split(separator: ";").map { part -> (String, String) in
                let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
                return (words[0], words.count > 1 ? words[1] : "")
            })
            #expect(directives["default-src"] == "'self'")
            #expect(directives["script-src"] == "'none'")
            #expect(directives["style-src"] == "'self'")
            #expect(directives["form-action"] == "'self'")
            #expect(directives["base-uri"] == "'none'")
            #expect(directives["object-src"] == "'none'")
            #expect(directives["frame-ancestors"] == "'none'")
            // The page fits the policy: JSON-LD is a data block (not script), the stylesheet is
            // the site's own, no inline style, no other script, and forms post to the site.
            let body = release.2
            #expect(body.contains(#"<script type="application/ld+json">"#))
            #expect(body.occurrences(of: "<script") == body.occurrences(of: #"<script type="application/ld+json">"#))
            #expect(!body.contains("<style") && !body.contains(" style="))
            let stylesheet = try #require(body.range(of: #"<link rel="stylesheet" href="/[^"/][^"]*""#, options: .regularExpression), "the stylesheet is same-origin")
            let cssPath = String(body[stylesheet]).replacingOccurrences(of: #"<link rel="stylesheet" href=""#, with: "").dropLast()
            #expect(try await client.execute(uri: String(cssPath), method: .get) { $0.status } == .ok)
            for page in ["/", "/newsroom/sign-in", "/subscribe", String(cssPath), "/no-such-page"] {
                let answer = try await client.execute(uri: page, method: .get) { ($0.headers[.contentSecurityPolicy] ?? "", String(buffer: $0.body)) }
                #expect(answer.0 == release.1, "\(page) carries the same policy")
                #expect(!answer.1.contains(" style=\""), "\(page) has no inline style")
                for match in answer.1.matches(of: /<form [^>]*action="([^"]*)"/) {
                    #expect(match.1.hasPrefix("/"), "\(page): a form posts to the site itself, not \(match.1)")
                }
            }
        }
    }
}
