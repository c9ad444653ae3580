import DatelineServer
import Testing

@Suite("Markdown bodies")
struct MarkdownRendererTests {
    @Test("cmark-gfm renders CommonMark and GitHub's extensions")
    func renders() {
        let html = MarkdownRenderer.html(from: "A *quoted* \"word\".\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ https://example.org")
        #expect(html.contains("<em>quoted</em>"))
        #expect(html.contains("“word”"), "smart punctuation")
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"https://example.org\">"))
    }

    @Test("Safe mode drops raw HTML and script links")
    func safeMode() {
        let html = MarkdownRenderer.html(from: "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("data:text/html"))
    }
}
