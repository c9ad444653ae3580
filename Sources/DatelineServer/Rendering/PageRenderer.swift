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
        // Read while the templates parse: their `{{% CONTENT_TYPE: HTML}}` pragma names it.
        MustacheContentTypes.register(HTMLEscaping(), named: "HTML")
        do {
            return PageRenderer(library: try await MustacheLibrary(directory: folder.path))
        } catch {
            throw TemplateError(message: "A template in \(folder.path) does not parse: \(error)")
        }
    }

    static let htmlType = "text/html; charset=utf-8"

    /// The named template rendered with `context`.
    /// - Throws: ``TemplateError`` when there is no such template.
    func html(_ template: String, _ context: Any) throws -> ByteBuffer {
        // Page contexts answer Mustache's lookups themselves (Presenters/PageLayout+Mustache.swift);
        // one that does not is read through Mirror, key by key. Tests run debug builds, so they catch it.
        assert(context is any MustacheParent, "\(type(of: context)) is not a MustacheParent: give it a child(named:) in a +Mustache.swift file beside it")
        guard let html = library.render(context, withTemplate: template) else {
            throw TemplateError(message: "There is no template named \(template).mustache")
        }
        return ByteBuffer(string: html)
    }

    /// An uncached HTML response (errors, forms).
    func page(_ template: String, _ context: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: Self.htmlType], body: ResponseBody(byteBuffer: try html(template, context)))
    }

    /// A public page that caches may keep and revalidate (ETag, Last-Modified, 304).
    func cacheablePage(_ template: String, _ context: Any, request: Request, lastModified: Date?) throws -> Response {
        ConditionalResponse.make(request: request, body: try html(template, context), contentType: Self.htmlType, lastModified: lastModified, freshness: .page)
    }
}

/// Templates missing or broken; the message names the file or folder.
struct TemplateError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
