import CMarkGFM
import Foundation

/// Renders release bodies from Markdown (CommonMark with GitHub's table, strikethrough and
/// autolink extensions) to HTML with cmark-gfm, the reference implementation.
///
/// Safe mode is cmark-gfm's default and is kept: raw HTML in the Markdown is replaced by a
/// comment and `javascript:`, `vbscript:`, `file:` and most `data:` links are emptied, so a
/// body can never inject script into a page or feed.
public enum MarkdownRenderer {
    static let extensionNames = ["table", "strikethrough", "autolink"]

    static let options = CMARK_OPT_DEFAULT | CMARK_OPT_SMART

    /// Renders Markdown to an HTML fragment (UTF-8, block elements, no surrounding document).
    public static func html(from markdown: String) -> String {
        parsed(markdown) { document, parser in
            guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
            defer { free(rendered) }
            return String(cString: rendered)
        } ?? ""
    }

    /// Parses `markdown` with the extensions and hands the document (and its parser, for the
    /// extensions' renderers) to `body`; both are freed after it. Nil when cmark-gfm fails.
    static func parsed<T>(_ markdown: String, _ body: (OpaquePointer, OpaquePointer) -> T) -> T? {
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(options) else { return nil }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        markdown.withCString { pointer in
            cmark_parser_feed(parser, pointer, strlen(pointer))
        }
        guard let document = cmark_parser_finish(parser) else { return nil }
        defer { cmark_node_free(document) }
        return body(document, parser)
    }
}

extension MarkdownRenderer {
    /// Renders Markdown to plain text for mail (cmark-gfm's plain-text renderer): no `#`, `*` or
    /// backticks; lists keep their bullets and numbers, tables their cells; paragraphs wrap at
    /// `width` columns (0: one line each). A link keeps its address after its text,
    /// "text (https://…)", since plain text has no anchors; an autolink is its address alone.
    public static func plainText(from markdown: String, width: Int32 = 72) -> String {
        parsed(markdown) { document, _ in plainText(document, width: width) } ?? markdown
    }

    private static func plainText(_ document: OpaquePointer, width: Int32) -> String {
        var links: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == CMARK_NODE_LINK {
                    links.append(node)
                }
            }
        }
        for link in links {
            guard let address = cmark_node_get_url(link).map({ String(cString: $0) }), !address.isEmpty else { continue }
            let text = cmark_render_plaintext(link, options, 0).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
            } ?? ""
            if text == address || address == "mailto:" + text || address.hasSuffix("://" + text) { continue }
            guard let suffix = cmark_node_new(CMARK_NODE_TEXT) else { continue }
            cmark_node_set_literal(suffix, " (\(address))")
            cmark_node_insert_after(link, suffix)
        }
        guard let rendered = cmark_render_plaintext(document, options, width) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
