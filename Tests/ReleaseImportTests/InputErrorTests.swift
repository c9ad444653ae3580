import Foundation
import Testing
@testable import ReleaseImport

@Suite struct InputErrorTests {
    @Test func emptyFileIsRefused() {
        #expect(throws: ImportError.empty) { try ReleaseImporter.decodeText(Data()) }
        #expect(throws: ImportError.empty) { try ReleaseImporter.decodeText(Data(" \n\t\n".utf8)) }
    }

    @Test func nulBytesMeanBinary() {
        let data = Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x41])
        #expect(throws: ImportError.binary) { try ReleaseImporter.decodeText(data) }
    }

    @Test func invalidUTF8IsRefused() {
        let latin1 = Data("Communiqu".utf8) + Data([0xE9, 0x20, 0x64, 0x65])
        #expect(throws: ImportError.invalidUTF8) { try ReleaseImporter.decodeText(latin1) }
    }

    @Test func byteOrderMarkIsDropped() throws {
        let text = try ReleaseImporter.decodeText(Data([0xEF, 0xBB, 0xBF]) + Data("Headline".utf8))
        #expect(text == "Headline")
    }

    @Test func errorsSayWhatToDo() {
        for error in [ImportError.empty, .binary, .invalidUTF8, .noHeadline, .tooLarge(limit: 10)] {
            #expect(error.description.count > 40)
        }
    }

    @Test func textWithoutHeadlineExtractsWithHeadlineMissing() {
        let text = """
        La Ligue des droits de l’Homme s’inquiète de la tournure qu’a pris l’évacuation du square.
        La LDH dénonce le nombre d’arrestations et la violence avec laquelle se sont déroulées les interpellations.
        Paris, le 5 juillet 2004
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.headline == nil)
        #expect(release.missingRequiredFields == ["headline"])
        #expect(release.datelineCity == "Paris")
        #expect(release.date == "2004-07-05")
        #expect(release.language == "fr")
    }

    @Test func extractionNeverTrapsOnOddText() {
        for text in ["", "\n\n\n", "“", "-30-", "CONTACT:", "WASHINGTON -", "(", "EMBARGOED UNTIL", String(repeating: "|", count: 500)] {
            _ = ReleaseImporter.extract(text: text)
        }
    }
}
