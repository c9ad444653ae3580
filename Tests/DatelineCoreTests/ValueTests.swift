import DatelineCore
import Foundation
import Testing

@Suite("Domain values")
struct ValueTests {
    @Test("Slugs are lowercase words joined by hyphens, diacritics folded, other scripts kept")
    func slugs() {
        #expect(Slug(making: "Prisoner Pardons in Iran Welcome, But Hundreds More")?.rawValue == "prisoner-pardons-in-iran-welcome-but-hundreds-more")
        #expect(Slug(making: "Amnistía Internacional: ¡Ya!")?.rawValue == "amnistia-internacional-ya")
        #expect(Slug(making: "Iran’s prisoners")?.rawValue == "irans-prisoners")
        #expect(Slug(making: "بيان حول حماية الأطفال")?.rawValue == "بيان-حول-حماية-الأطفال")
        #expect(Slug(making: "  — ! — ") == nil)
        let long = Slug(making: String(repeating: "word ", count: 40))!
        #expect(long.rawValue.count <= Slug.maximumLength)
        #expect(!long.rawValue.hasSuffix("-"))
        #expect(Slug(making: "Budget vote")!.numbered(2).rawValue == "budget-vote-2")
    }

    @Test("Slugs from URLs are validated")
    func slugValidation() {
        #expect(Slug(validating: "budget-vote-2") != nil)
        #expect(Slug(validating: "Budget") == nil)
        #expect(Slug(validating: "a--b") == nil)
        #expect(Slug(validating: "-a") == nil)
        #expect(Slug(validating: "a/b") == nil)
        #expect(Slug(validating: "") == nil)
        #expect(Slug(validating: "بيان-حول-حماية-الأطفال") != nil)
        #expect(Slug(validating: "Überblick") == nil)
        let longest = String(repeating: "ab-", count: 29) + "a"  // 88 characters: the limit
        #expect(Slug(validating: longest) != nil)
        #expect(Slug(validating: longest + "b") == nil)
        #expect(Slug(validating: String(repeating: "ب", count: 88)) != nil)
        #expect(Slug(validating: String(repeating: "ب", count: 89)) == nil)
    }

    @Test("ASCII slugs checked by their bytes get the answer of the rule by characters")
    func slugValidationByBytes() {
        func byCharacters(_ text: String) -> Bool {
            !text.isEmpty && text.count <= Slug.maximumLength + 8 && !text.hasPrefix("-") && !text.hasSuffix("-") && !text.contains("--")
                && text.allSatisfy { ($0.isLetter && $0.lowercased() == String($0)) || $0.isNumber || $0 == "-" }
        }
        let pool = Array("ab-z09AZ_ /.\r\n-")
        var state: UInt64 = 42
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 58) + (state & 1 == 0 ? 0 : 60)
            var text = ""
            for index in 0..<length {
                let mixed = (state >> UInt64(index % 50)) ^ UInt64(index &* 2_654_435_761)
                text.append(pool[Int(mixed % UInt64(pool.count))])
            }
            #expect((Slug(validating: text) != nil) == byCharacters(text), "\(text.debugDescription)")
        }
    }

    @Test("Release ids are 128 random bits, 32 hex digits, never repeated")
    func releaseIDs() {
        let ids = (0..<1000).map { _ in ReleaseID() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { $0.rawValue.count == 32 && ReleaseID($0.rawValue) == $0 })
        #expect(ReleaseID("12345") == nil)
        #expect(ReleaseID(String(repeating: "g", count: 32)) == nil)
        #expect(ReleaseID("ABCDEF0123456789ABCDEF0123456789")?.rawValue == "abcdef0123456789abcdef0123456789")
    }

    @Test("Timing: immediate releases are always lifted, embargoed ones from their lift time")
    func timing() {
        let lift = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(ReleaseTiming.immediate.isLifted(at: .distantPast))
        #expect(!ReleaseTiming.embargoed(until: lift).isLifted(at: lift - 1))
        #expect(ReleaseTiming.embargoed(until: lift).isLifted(at: lift))
        #expect(ReleaseTiming.immediate.timingLine() == "For Immediate Release")
        #expect(ReleaseTiming.embargoed(until: lift).timingLine().hasPrefix("Embargoed until January 15, 2027"))
    }

    @Test("Language tags: shape, case and direction")
    func languages() {
        #expect(LanguageTag("EN-us")?.rawValue == "en-US")
        #expect(LanguageTag("zh-hant-TW")?.rawValue == "zh-Hant-TW")
        #expect(LanguageTag("fa")?.direction == "rtl")
        #expect(LanguageTag("ar-EG")?.isRightToLeft == true)
        #expect(LanguageTag("az-Arab")?.isRightToLeft == true)
        #expect(LanguageTag("de")?.direction == "ltr")
        #expect(LanguageTag("english") == nil)
        #expect(LanguageTag("e") == nil)
        #expect(LanguageTag("en--US") == nil)
    }

    @Test("Datelines print in AP style; social handles become profile links")
    func datelinesAndProfiles() {
        #expect(Dateline(city: "Beirut", region: "Lebanon").printed == "BEIRUT, Lebanon")
        #expect(Dateline(city: "WASHINGTON").printed == "WASHINGTON")
        #expect(SocialProfile(network: .mastodon, handleOrURL: "@hrw@mastodon.social").url?.absoluteString == "https://mastodon.social/@hrw")
        #expect(SocialProfile(network: .x, handleOrURL: "@amnestyusa").url?.absoluteString == "https://x.com/amnestyusa")
        #expect(SocialProfile(network: .x, handleOrURL: "Amnesty International USA").url == nil)
        #expect(SocialProfile(network: .bluesky, handleOrURL: "https://bsky.app/profile/hrw.org").url?.absoluteString == "https://bsky.app/profile/hrw.org")
        #expect(SocialNetwork(name: "Twitter") == .x)
    }
}
