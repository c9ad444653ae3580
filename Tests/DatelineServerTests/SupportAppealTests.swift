import Testing
@testable import DatelineServer

@Suite("Support appeal text")
struct SupportAppealTests {
    @Test("Blank lines separate paragraphs, whatever the line ends; lines within a paragraph stay, trimmed at its ends")
    func paragraphs() {
        func paragraphs(_ text: String) -> [String] { SupportAppeal(heading: "", text: text, methods: []).paragraphs }
        #expect(paragraphs("") == [])
        #expect(paragraphs("One.") == ["One."])
        #expect(paragraphs("One.\n\nTwo.") == ["One.", "Two."])
        #expect(paragraphs("One.\r\n\r\nTwo.\r\nStill two.") == ["One.", "Two.\nStill two."])
        #expect(paragraphs("  One.  \n \t \n\n\nTwo.\n") == ["One.", "Two."])
        #expect(paragraphs("\n\n  \n") == [])
    }
}
