import CMarkGFM
import Foundation

/// Renders release bodies from Markdown (CommonMark with GitHub's table, strikethrough and
/// autolink extensions) to HTML with cmark-gfm, the reference implementation.
///
/// Safe mode is cmark-gfm's default and is kept: raw HTML in the Markdown is replaced by a
/// comment and `javascript:`, `vbscript:`, `file:` and most `data:` links are emptied, so a
/// body can never inject script into a page or feed.
public enum MarkdownRenderer {
    private static let extensionNames = ["table", "strikethrough", "autolink"]

    /// Renders Markdown to an HTML fragment (UTF-8, block elements, no surrounding document).
    public static func html(from markdown: String) -> String {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_SMART
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        markdown.withCString { pointer in
            cmark_parser_feed(parser, pointer, strlen(pointer))
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
