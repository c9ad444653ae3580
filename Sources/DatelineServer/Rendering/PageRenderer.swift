import Foundation
import Hummingbird
import Mustache

/// Renders presenters' page contexts with the Mustache templates loaded at start-up.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every `*.mustache` file of `Resources/Templates`.
    /// - Throws: ``TemplateError`` naming the folder or the template that failed to parse.
    static func load(resourcesDirectory: URL) async throws -> PageRenderer {
        let folder = resourcesDirectory.appendingPathComponent("Templates")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("layout.mustache").path) else {
            throw TemplateError(message: "No templates in \(folder.path): run Dateline from the repository's folder or set DATELINE_RESOURCES_DIR to the folder that holds Templates/.")
        }
        do {
            return PageRenderer(library: try await MustacheLibrary(directory: folder.path))
        } catch {
            throw TemplateError(message: "A template in \(folder.path) does not parse: \(error)")
        }
    }

    /// An HTML response of the named template rendered with `context`.
    func page(_ template: String, _ context: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(context, withTemplate: template) else {
            throw TemplateError(message: "There is no template named \(template).mustache")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// Templates missing or broken; the message names the file or folder.
struct TemplateError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
