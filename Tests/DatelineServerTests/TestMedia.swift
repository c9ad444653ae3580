@testable import DatelineServer
import DatelineCore
import Foundation

/// Small real files for tests that need an attachment: a 64 × 40 PNG (made with Pillow) and a
/// one-page PDF with no scripts.
enum TestMedia {
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAoCAIAAADBrGu+AAAAYElEQVR42u3YsQ3AIAwAQRIxAnWqjME4DMEwjJYqk2QCOlBk6b51YZ3c+Si9psidKXgAAAAA/5Zng6e9u3ff43IBAAAAAAAAAAAAAAAAAACAqE3fKkt+Hi4AAAAAALC5Dy3mBPp2n4CyAAAAAElFTkSuQmCC")!

    static let pdf = Data("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """.utf8)

    /// Attaches the PNG (as the lead image, with alt text) and the PDF to a release.
    /// - Returns: every rendition's public file name.
    static func attachBoth(toRelease releaseID: String, hub: DatabaseHub, settings: Settings) async throws -> [String] {
        // Any status: the tests attach to embargoed and published releases directly.
        var store = MediaStore(hub: hub, settings: settings)
        store.editableStatuses = Set(ReleaseStatus.allCases)
        let image = try await store.attach(.init(fileName: "wetlands.png", data: png, alt: "A yellow sign on green", isLead: true), toRelease: releaseID)
        let document = try await store.attach(.init(fileName: "report.pdf", data: pdf, alt: "The annual report"), toRelease: releaseID)
        return (image.renditions + document.renditions).map(\.fileName)
    }
}
