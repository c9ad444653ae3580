import CLibXML2
import Foundation

/// What a saved web page holds once its markup is gone: the release's visible text as
/// lines (blank lines between blocks, the shape the plain-text path reads) and the raw
/// structured metadata the page carries.
struct HTMLPage: Equatable {
    /// Visible text from the headline on; `""` separates blocks (paragraphs, headings, list items).
    var lines: [String] = []
    /// For each line, an identity of the element holding its block (0 for blank lines): lines
    /// with the same value are sibling paragraphs of one text, which is how a deck set apart
    /// above the article is told from the article's first paragraph.
    var containers: [Int] = []
    /// The text of the element taken as the headline (an `<h1>`, or the heading matching the
    /// page's declared title), or `nil` when the page has none.
    var headline: String?
    /// Lines that open the first block after an `<hr>`: a newsroom sets its
    /// boilerplate apart with a rule when it prints no "About" heading.
    var afterRule: [String] = []
    /// `<html lang>` as written, e.g. "en-GB".
    var language: String?
    /// `<title>` text.
    var title: String?
    /// `<meta property|name|itemprop = content|value>`, keys lower-cased; the first of each wins.
    var meta: [String: String] = [:]
    /// Bodies of `<script type="application/ld+json">`.
    var jsonLD: [String] = []
    /// `datetime` of `<time>` elements (and `itemprop=datePublished` content), in document order.
    var times: [String] = []
    /// The address relative links resolve against: `<base href>`, else `<link rel=canonical>`,
    /// else og:url (absolute http(s) addresses only).
    var baseURL: String?
    /// Lines of the whole page (its footer included) holding "©" or "Copyright", up to three:
    /// the copyright holder is usually the site's owner.
    var copyrightLines: [String] = []
    /// Links to PDF documents (an `href` whose path ends in ".pdf") anywhere in the page, in
    /// document order, with their text.
    var documentLinks: [Link] = []

    struct Link: Equatable {
        /// The `href` as written (relative or absolute).
        var href: String
        var text: String
    }
}

/// Parses HTML with libxml2's error-recovering HTML parser (the HTML 4 parser of
/// `htmlReadMemory`, which tolerates unclosed tags and tag soup; see `HTMLTree`) and walks the
/// tree, dropping page furniture: elements that never hold release text (scripts, styles, forms,
/// frames, SVG, navigation, site header and footer, sidebars) and widgets recognised by their
/// class/id/role (cookie banners, share bars, newsletter prompts, breadcrumbs, comments).
///
/// The walks are iterative so that deeply nested input cannot exhaust the stack.
enum HTMLDocumentReader {
    /// libxml2's HTML parser options: recover from errors quietly, never touch the network, add
    /// no implied `<html>`/`<body>`.
    static let parseOptions = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_NOIMPLIED.rawValue)

    /// Parses `bytes` decoded with `encoding` (a label libxml2/iconv knows).
    /// Returns `nil` only when libxml2 produces no document at all.
    static func read(_ bytes: [UInt8], encoding: String) -> HTMLPage? {
        guard let tree = HTMLTree.parse(bytes, encoding: encoding, options: parseOptions) else { return nil }
        var page = HTMLPage()
        guard let root = tree.root else { return page }
        var walker = Walker(tree: tree)
        walker.collectHead(root, into: &page)
        let headlineNode = walker.findHeadline(root, page: page).map { walker.titlePart(of: $0) }
        page.headline = headlineNode.map { Walker.collapse(walker.text(of: $0)) }
        walker.render(root, headline: headlineNode, into: &page)
        page.copyrightLines = walker.copyrightLines()
        return page
    }

    /// Offsets in `bytes` of "©" and of "opyright"/"OPYRIGHT" ("Copyright", "COPYRIGHT"), up to `limit`, found with memchr
    /// (on "©"'s second byte and on "y"/"Y", rarer than "c").
    static func copyrightMarkOffsets(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> [Int] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var found: [Int] = []
        func scan(_ byte: UInt8, _ matches: (Int) -> Int?) {
            var offset = 0
            while found.count < limit, offset < bytes.count, let hit = memchr(UnsafeRawPointer(base) + offset, Int32(byte), bytes.count - offset) {
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if let start = matches(at) { found.append(start) }
                offset = at + 1
            }
        }
        scan(0xA9) { at in at > 0 && bytes[at - 1] == 0xC2 ? at - 1 : nil }
        for (y, word) in [(UInt8(ascii: "y"), Array("opyright".utf8)), (UInt8(ascii: "Y"), Array("OPYRIGHT".utf8))] {
            scan(y) { at in
                let start = at - 2
                return start >= 0 && start + word.count <= bytes.count && (0..<word.count).allSatisfy({ bytes[start + $0] == word[$0] }) ? start : nil
            }
        }
        return found
    }

    /// A class token naming a title ("title", "headline", "article-title", "c-teaser__title"),
    /// not a kicker above one ("pre-title", "sub-title", "super-title", "overtitle").
    static func namesTitle(_ token: Substring) -> Bool {
        if token == "title" || token == "headline" { return true }
        for suffix in ["-title", "__title", "_title"] where token.hasSuffix(suffix) {
            let head = token.dropLast(suffix.count)
            return !["pre", "sub", "super", "over", "up", "top", "kicker", "eyebrow", "dach"].contains(where: { head.hasSuffix($0) })
        }
        return false
    }

    /// Han, kana, CJK punctuation and full-width forms: scripts that set no space between lines or words.
    static func isCJKScalar(_ u: Unicode.Scalar) -> Bool {
        u.isSpacelessLetter || (0x3000...0x303F).contains(u.value) || (0xFF00...0xFFEF).contains(u.value)
    }

    /// An http(s) address with a host (`http://` or `https://` and at least one more letter).
    static func isAbsolute(_ href: String) -> Bool {
        let t = href.trimmed.lowercased()
        return (t.hasPrefix("http://") && t.count > 7) || (t.hasPrefix("https://") && t.count > 8)
    }
}

private struct Walker {
    /// Elements whose contents are never release text.
    static let skipped: Set<String> = [
        "script", "style", "template", "iframe", "frame", "frameset", "svg", "math", "canvas",
        "object", "embed", "applet", "audio", "video", "map", "button", "select", "option", "textarea",
        "input", "label", "head", "title", "meta", "link", "dialog", "figure", "figcaption", "picture",
    ]
    /// Page regions that hold the site's furniture rather than the release, unless the
    /// headline sits inside them (some CMSs wrap the whole page in a `<form>` or `<header>`).
    static let furniture: Set<String> = ["nav", "header", "footer", "aside", "form", "menu"]
    /// Elements that start a new block of text.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "blockquote", "address", "center", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "caption", "fieldset", "legend", "details", "summary",
        "hr", "body", "html", "header", "footer", "nav", "aside", "form", "noframes", "dir",
    ]
    /// Table cells end a line without opening a new paragraph: a row stays one group.
    static let cells: Set<String> = ["td", "th"]
    static let roles: Set<String> = ["navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar", "tablist"]
    /// Substrings of class/id values that mark widgets around a release.
    static let widgetWords: [String] = [
        "cookie", "consent", "gdpr", "newsletter", "subscribe", "signup", "sign-up", "share", "sharing", "social",
        "breadcrumb", "navbar", "nav-", "-nav", "menu", "sidebar", "comment", "related", "popup", "flyout", "modal", "banner",
        "skip-link", "skiplink", "advert", "promo", "teaser", "caption", "toolbar", "pagination", "print-", "search",
        "language-switch", "lang-switch", "langswitch", "footer", "masthead", "widget-area", "overlay", "tags", "byline",
    ]
    /// Class/id tokens (whole words) with the same meaning, too short to match as substrings.
    static let widgetTokens: Set<String> = ["nav", "ad", "ads", "tags", "tag", "share", "social", "aural", "skip", "hidden", "sr", "visually", "visuallyhidden", "sr-only", "screen-reader-text"]

    /// What the walks need to know about an element name, worked out once per name a page uses
    /// instead of looking the name up in the sets above at every element.
    struct TagInfo {
        /// The elements the walks treat one by one, named once per tag instead of comparing
        /// the name's string at every element.
        enum Special: String {
            case html, meta, title, script, time, style, svg, a, li, br, hr, img, wbr, h1, form, header, noscript, base, link
        }

        var special: Special?
        var isSkipped: Bool
        var isFurniture: Bool
        var isBlock: Bool
        var isCell: Bool
        var isHeading: Bool
        /// `<html>`, `<body>`, `<main>`: whatever their classes say, they hold the page.
        var isPageRoot: Bool

        init(_ name: String) {
            special = Special(rawValue: name)
            isSkipped = Walker.skipped.contains(name)
            isFurniture = Walker.furniture.contains(name)
            isBlock = Walker.blocks.contains(name)
            isCell = Walker.cells.contains(name)
            isHeading = ["h1", "h2", "h3", "h4", "h5", "h6"].contains(name)
            isPageRoot = ["html", "body", "main"].contains(name)
        }
    }

    let tree: HTMLTree
    /// `TagInfo` by `HTMLTree.Node.tag`.
    let tags: [TagInfo]

    /// isWidget's answers by element (-1: not asked yet). findHeadline and render both ask about
    /// every element, and each answer reads several attributes and splits class names, so the
    /// second walk looks the answer up instead. A class, so the non-mutating findHeadline can fill it.
    final class WidgetMemo {
        var known: [Int8]
        init(count: Int) { known = [Int8](repeating: -1, count: count) }
    }
    let widgetMemo: WidgetMemo

    /// Bytes of text outside links, scripts and styles (spaces aside; hidden elements are not
    /// told apart) under each element, and under the
    /// root: an element holding half of the page's prose is the page's content, whatever its
    /// class says (themes name the article's column "sidebar_content" or "teaser-main").
    let prose: [Int32]
    let rootProse: Int32
    /// For each element, the prose that precedes it in document order.
    let proseStart: [Int32]

    init(tree: HTMLTree) {
        self.tree = tree
        tags = tree.tagNames.map(TagInfo.init)
        widgetMemo = WidgetMemo(count: tree.nodes.count)
        (prose, rootProse, proseStart) = Self.proseSizes(tree, tags: tags)
    }

    /// `prose` for every element reachable from the root (0 for the rest), the root's, and `proseStart`.
    private static func proseSizes(_ tree: HTMLTree, tags: [TagInfo]) -> ([Int32], Int32, [Int32]) {
        var sizes = [Int32](repeating: 0, count: tree.nodes.count)
        var starts = [Int32](repeating: 0, count: tree.nodes.count)
        var running: Int32 = 0
        guard let root = tree.root else { return (sizes, 0, starts) }
        // Pre-order, skipping what is never shown and the insides of links; then each node's
        // size is added to its parent's, children before parents.
        var order: [Int32] = []
        var stack: [Int32] = [root]
        while let n = stack.popLast() {
            order.append(n)
            starts[Int(n)] = running
            if tree.isText(n) {
                if !tree[n].isRawText {
                    sizes[Int(n)] = tree.withTextBytes(n) { bytes in Int32(bytes.reduce(0) { $0 + ($1 > 0x20 ? 1 : 0) }) }
                    running += sizes[Int(n)]
                }
                continue
            }
            guard tree.isElement(n) else { continue }
            let info = tags[Int(tree[n].tag)]
            if info.isSkipped || info.special == .a { continue }
            var c = tree[n].lastChild
            while c >= 0 { stack.append(c); c = tree[c].previous }
        }
        for n in order.reversed() where n != root {
            let parent = tree[n].parent
            if parent >= 0 { sizes[Int(parent)] += sizes[Int(n)] }
        }
        return (sizes, sizes[Int(root)], starts)
    }

    /// A walker with no page, for `collapse`.
    private init() {
        tree = Self.noPage
        tags = []
        widgetMemo = WidgetMemo(count: 0)
        prose = []
        rootProse = 0
        proseStart = []
    }
    private static let noPage = HTMLTree()

    func tag(_ node: Int32) -> TagInfo { tags[Int(tree[node].tag)] }

    var lines: [String] = []
    var containers: [Int] = []
    var current = ""
    /// Open block elements, innermost last.
    var blockStack: [Int32] = []
    /// An image was just passed: a short line right after it is its caption.
    var afterImage = false
    /// Inside the headline element: its `<br>`s join its lines.
    var inHeadline = false
    /// A list item opened and its bullet is not yet written: it goes before the item's first
    /// visible text, so an item whose text sits in a nested block (`<li><div>…</div></li>`)
    /// still reads as a list entry.
    var pendingBullet = false
    /// An `<hr>` was just passed: the next line written opens a ruled-off section.
    var ruleBefore = false
    var ruledLines: [Int] = []
    /// How deep the walk is inside `<a>` elements, and how many letters of the current line
    /// came from inside one: a line that is nothing but link text is a menu entry, a tag, a
    /// teaser or a "read more", never release prose.
    var linkDepth = 0
    var linkedLetters = 0
    var letters = 0

    // MARK: head and metadata

    mutating func collectHead(_ root: Int32, into page: inout HTMLPage) {
        var base: String?
        var canonical: String?
        defer { page.baseURL = base ?? canonical ?? page.meta["og:url"].flatMap { HTMLDocumentReader.isAbsolute($0) ? $0.trimmed : nil } }
        if let lang = tree.attribute(root, .lang) ?? tree.attribute(root, .xmlLang), !lang.trimmed.isEmpty {
            page.language = lang.trimmed
        }
        var stack: [Int32] = [root]
        while let node = stack.popLast() {
            if tree.isElement(node) {
                switch tag(node).special {
                case .html:
                    if page.language == nil, let lang = tree.attribute(node, .lang), !lang.trimmed.isEmpty { page.language = lang.trimmed }
                case .meta:
                    let key = tree.attribute(node, .property) ?? tree.attribute(node, .name) ?? tree.attribute(node, .itemprop)
                    let value = tree.attribute(node, .content) ?? tree.attribute(node, .value)
                    if let key, let value, !value.trimmed.isEmpty, page.meta[key.lowercased()] == nil {
                        page.meta[key.lowercased()] = Self.collapse(value)
                    }
                case .title:
                    if page.title == nil { page.title = Self.collapse(text(of: node)) }
                case .script:
                    if (tree.attribute(node, .type) ?? "").lowercased().containsASCII("ld+json") {
                        page.jsonLD.append(text(of: node))
                    }
                    continue
                case .time:
                    if let dt = tree.attribute(node, .datetime) { page.times.append(dt.trimmed) }
                case .a:
                    if let href = tree.attributeBytes(node, .href), Self.isPDF(href) {
                        page.documentLinks.append(HTMLPage.Link(href: String(decoding: href, as: UTF8.self).trimmed, text: Self.collapse(text(of: node))))
                    }
                case .base:
                    if base == nil, let href = tree.attribute(node, .href), HTMLDocumentReader.isAbsolute(href) { base = href.trimmed }
                case .link:
                    if canonical == nil, (tree.attribute(node, .rel) ?? "").lowercased().trimmed == "canonical",
                       let href = tree.attribute(node, .href), HTMLDocumentReader.isAbsolute(href) { canonical = href.trimmed }
                case .style, .svg:
                    continue
                default:
                    break
                }
            }
            // Children pushed last to first (so the first is visited first), walking `previous` from
            // `lastChild` instead of collecting them in an array per node.
            var c = tree[node].lastChild
            while c >= 0 { if tree.isElement(c) { stack.append(c) }; c = tree[c].previous }
        }
    }

    /// The headline element: the `<h1>` agreeing with the page's declared title (JSON-LD
    /// headline, og:title, `<title>`), else any heading (`h2`–`h6`, or an element with
    /// itemprop=headline) whose text the title contains, else the first `<h1>` that does not
    /// follow the text (`followsTheText`), else a block holding most of the title (`titleBlock`).
    /// The caller then takes its title part (`titlePart`).
    func findHeadline(_ root: Int32, page: HTMLPage) -> Int32? {
        var declared: [String] = []
        if let t = page.meta["og:title"] { declared.append(t) }
        if let t = page.meta["twitter:title"] { declared.append(t) }
        if let t = page.meta["title"] { declared.append(t) }
        if let t = page.title { declared.append(t) }
        declared += page.jsonLD.compactMap { PageMetadata.headline(inJSONLD: $0) }
        let keys = declared.map(\.comparable).filter { !$0.isEmpty }
        func agrees(_ text: String) -> Bool {
            let k = text.comparable
            return !k.isEmpty && keys.contains { $0 == k || ($0.contains(k) && k.count >= 12) }
        }
        var h1s: [(Int32, String)] = []
        var others: [(Int32, String)] = []
        // Headings in document order, not inside skipped elements or other headings; whether one
        // sits in furniture is asked of it and its ancestors only when it is found (asking every
        // element of the page whether it is a widget was most of this walk).
        var stack: [Int32] = [root]
        while let node = stack.popLast() {
            guard tree.isElement(node) else { continue }
            let info = tag(node)
            if info.isSkipped { continue }
            if info.isHeading || tree.hasAttributes(node) && tree.attribute(node, .itemprop) == "headline" {
                let text = Self.collapse(text(of: node))
                if !text.isEmpty, !inFurniture(node, below: root) {
                    if info.special == .h1 { h1s.append((node, text)) } else { others.append((node, text)) }
                }
                continue
            }
            var c = tree[node].lastChild
            while c >= 0 { if tree.isElement(c) { stack.append(c) }; c = tree[c].previous }
        }
        if let h = h1s.first(where: { agrees($0.1) }) { return h.0 }
        if let h = others.first(where: { agrees($0.1) }) { return h.0 }
        // An `<h1>` the page's title does not confirm must head text: one with most of the
        // page's prose before it and little after belongs to a widget (a translation box, a
        // cookie notice) placed after the article.
        if let h = h1s.first(where: { !followsTheText($0.0) }) { return h.0 }
        // No heading: a block holding most of the declared title (not its site part).
        func mostOfTitle(_ text: String) -> Bool {
            let k = text.comparable
            return k.count >= 12 && keys.contains { $0.contains(k) && k.count * 2 >= $0.count }
        }
        return keys.isEmpty ? nil : titleBlock(root, agrees: mostOfTitle)
    }

    /// A page that sets its title in no heading ("<p class=title>Line<br>line</p>"): the first
    /// block, outside furniture, whose text the declared title holds, with text after it.
    /// Only blocks of title size are read.
    func titleBlock(_ root: Int32, agrees: (String) -> Bool) -> Int32? {
        var stack: [Int32] = [root]
        while let node = stack.popLast() {
            guard tree.isElement(node) else { continue }
            let info = tag(node)
            if info.isSkipped || info.special == .a { continue }
            if !info.isPageRoot, info.isFurniture || isWidget(node) { continue }
            let size = prose[Int(node)]
            if size < 12 { continue }
            if info.isBlock, size <= 600, !followsTheText(node), agrees(Self.collapse(text(of: node))) { return node }
            var c = tree[node].lastChild
            while c >= 0 { if tree.isElement(c) { stack.append(c) }; c = tree[c].previous }
        }
        return nil
    }

    /// The part of a heading that holds the title, when the heading also holds a kicker or a
    /// date ("<h1><span class=supertitle><time>1. Februar 2022</time></span><span class=title>
    /// …</span></h1>"): its first descendant whose class names a title and which holds at least
    /// two fifths of the heading's text; else the heading itself.
    func titlePart(of heading: Int32) -> Int32 {
        let whole = prose[Int(heading)]
        guard whole > 0 else { return heading }
        var stack: [Int32] = []
        var c = tree[heading].lastChild
        while c >= 0 { if tree.isElement(c) { stack.append(c) }; c = tree[c].previous }
        while let n = stack.popLast() {
            if prose[Int(n)] * 5 >= whole * 2, prose[Int(n)] < whole, let classes = tree.attribute(n, .class)?.lowercased(),
               classes.split(separator: " ").contains(where: HTMLDocumentReader.namesTitle) {
                return n
            }
            var k = tree[n].lastChild
            while k >= 0 { if tree.isElement(k) { stack.append(k) }; k = tree[k].previous }
        }
        return heading
    }

    /// Whether half of the page's prose comes before `node` and less than a fifth after it.
    func followsTheText(_ node: Int32) -> Bool {
        rootProse > 0 && proseStart[Int(node)] * 2 >= rootProse && proseAfter(node) * 5 < rootProse
    }

    /// Visible prose (as `prose` counts it) after the end of `node`, in document order.
    func proseAfter(_ node: Int32) -> Int32 { rootProse - proseStart[Int(node)] - prose[Int(node)] }

    /// Whether `node` or an ancestor up to `root` is furniture (`<form>` and `<header>` aside)
    /// or a widget: what the headline walk carried down the tree.
    func inFurniture(_ node: Int32, below root: Int32) -> Bool {
        var n = node
        while true {
            let info = tag(n)
            if info.isFurniture && info.special != .form && info.special != .header || isWidget(n) { return true }
            if n == root { return false }
            n = tree[n].parent
            if n < 0 || !tree.isElement(n) { return false }
        }
    }

    // MARK: rendering

    mutating func render(_ root: Int32, headline: Int32?, into page: inout HTMLPage) {
        var keep: Set<Int32> = []
        var a = headline ?? -1
        while a >= 0 { keep.insert(a); a = tree[a].parent }

        var headlineStart: Int?
        var headlineEnd: Int?
        // Event stack: an element is visited on entry, and again (exit = true) to close its block.
        var stack: [(Int32, Bool)] = [(root, false)]
        while let (node, exit) = stack.popLast() {
            if exit {
                let info = tag(node)
                if info.special == .a { linkDepth -= 1; continue }
                breakLine(blank: !info.isCell)
                if info.special == .li { pendingBullet = false }
                if blockStack.last == node { blockStack.removeLast() }
                if node == headline { headlineEnd = lines.count; inHeadline = false }
                continue
            }
            if tree.isText(node) {
                appendText(node)
                continue
            }
            guard tree.isElement(node) else { continue }
            let info = tag(node)
            if info.isSkipped { continue }
            // A `<noscript>` holds what a browser running scripts never shows, unless the page's
            // own headline sits inside it (an unclosed element there swallows the rest of the page).
            if info.special == .noscript, !keep.contains(node) { continue }
            if !keep.contains(node), info.isFurniture || isWidget(node), !isContactBlock(node) { continue }
            switch info.special {
            case .br:
                // A title set over several lines is one headline: a space between its lines,
                // none after a Japanese or Chinese line.
                if inHeadline {
                    if let last = current.unicodeScalars.last, !HTMLDocumentReader.isCJKScalar(last), last != " " { current += " " }
                } else {
                    breakLine(blank: false)
                }
                continue
            case .hr: breakLine(blank: true); ruleBefore = true; continue
            case .img: afterImage = true; continue
            case .wbr: continue
            default: break
            }
            if node == headline {
                breakLine(blank: true)
                // The headline is never an image's caption, however short: a logo above it must not swallow it.
                afterImage = false
                headlineStart = lines.count
                inHeadline = true
                blockStack.append(node)
                stack.append((node, true))
            } else if info.special == .a {
                linkDepth += 1
                stack.append((node, true))
            } else if info.special == .li {
                breakLine(blank: true)
                pendingBullet = true
                blockStack.append(node)
                stack.append((node, true))
            } else if info.isBlock || info.isCell {
                breakLine(blank: !info.isCell)
                blockStack.append(node)
                stack.append((node, true))
            }
            var c = tree[node].lastChild
            while c >= 0 { stack.append((c, false)); c = tree[c].previous }
        }
        breakLine(blank: true)
        page.afterRule = ruledLines.map { lines[$0] }
        if let start = headlineStart, let end = headlineEnd, start <= end {
            // What precedes the headline is the site's furniture; only a date line there
            // (a post date above the title) can belong to the release.
            let dates = lines.indices[..<start].filter { Self.isDateLine(lines[$0]) }
            var ordered = Array(lines[start..<end])
            var orderedContainers = Array(containers[start..<end])
            for d in dates { ordered += [lines[d], ""]; orderedContainers += [containers[d], 0] }
            lines = ordered + lines[end...]
            containers = orderedContainers + containers[end...]
        }
        while lines.first == "" { lines.removeFirst(); containers.removeFirst() }
        while lines.last == "" { lines.removeLast(); containers.removeLast() }
        page.lines = lines
        page.containers = containers
    }

    /// Class/id fragments naming a media-contact box. Newsrooms put that box in an `<aside>`
    /// or a sidebar widget, which would otherwise be dropped as furniture with the release's contacts.
    static let contactBlockWords: [[UInt8]] = ["media-contact", "media_contact", "mediacontact", "press-contact", "press_contact", "presscontact", "pressekontakt"].map { Array($0.utf8) }

    /// `true` when the element's class or id names a media-contact box.
    func isContactBlock(_ node: Int32) -> Bool {
        // Only attributes can make a contact block; most elements have none.
        if !tree.hasAttributes(node) { return false }
        for name in [HTMLTree.Attribute.class, .id] {
            guard let value = tree.attributeBytes(node, name) else { continue }
            let lower = value.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            if Self.contactBlockWords.contains(where: { Self.contains(lower, $0) }) { return true }
        }
        return false
    }

    /// Hidden elements, widget roles and class/id names of furniture.
    func isWidget(_ node: Int32) -> Bool {
        // Every test below reads an attribute; most elements (<p>, <b>, <span>) have none,
        // and the walks ask about every element, so this answers them without any lookups.
        if !tree.hasAttributes(node) { return false }
        let known = widgetMemo.known[Int(node)]
        if known >= 0 { return known == 1 }
        let answer = isWidgetUncached(node)
        widgetMemo.known[Int(node)] = answer ? 1 : 0
        return answer
    }

    private func isWidgetUncached(_ node: Int32) -> Bool {
        // The page's own roots are never widgets: their classes describe the page's state or
        // template ("mega-menu-primary", "cookies-not-set", "has-sidebar" on a WordPress body).
        if tag(node).isPageRoot { return false }
        if tree.attribute(node, .hidden) != nil { return true }
        if tree.attribute(node, .ariaHidden)?.lowercased() == "true" { return true }
        if let style = tree.attribute(node, .style)?.lowercased().filter({ $0 != " " }),
           style.containsASCII("display:none") || style.containsASCII("visibility:hidden") { return true }
        if let role = tree.attribute(node, .role)?.lowercased(), Self.roles.contains(role) { return true }
        // Names are only a hint: the element holding half of the page's prose is its content,
        // unless its name says it lies over the page (a cookie notice on a short page).
        if rootProse > 0, prose[Int(node)] * 2 >= rootProse, !namesOverlay(node) { return false }
        // class and id, lower-cased, as bytes: string searching through Foundation here
        // cost a fifth of the whole import. Each token is judged as it is read, in one reused
        // buffer (collecting the tokens as arrays first allocated for every one of them).
        var lower: [UInt8] = []
        for name in [HTMLTree.Attribute.class, .id] {
            guard let value = tree.attributeBytes(node, name) else { continue }
            for token in value.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                lower.removeAll(keepingCapacity: true)
                for b in token { lower.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
                // "no-share", "has-sidebar": modifiers that describe the block, not name a widget;
                // "tag-climate", "category-news": a CMS filing the entry under its taxonomy.
                if Self.modifierPrefixes.contains(where: { lower.starts(with: $0) }) { continue }
                if Self.containsWidgetWord(lower) { return true }
                for part in lower.split(whereSeparator: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
                where Self.widgetTokenBytes.contains(where: { $0.elementsEqual(part) }) {
                    return true
                }
            }
        }
        return false
    }

    /// Class or id words of what lies over a page: a cookie or consent notice, a pop-up.
    func namesOverlay(_ node: Int32) -> Bool {
        let names = ((tree.attribute(node, .class) ?? "") + " " + (tree.attribute(node, .id) ?? "")).lowercased()
        return ["cookie", "consent", "gdpr", "popup", "modal", "overlay", "newsletter"].contains { names.contains($0) }
    }

    static let modifierPrefixes: [[UInt8]] = ["no-", "no_", "has-", "has_", "with-", "js-", "tag-", "category-"].map { Array($0.utf8) }
    static let widgetWordBytes: [[UInt8]] = widgetWords.map { Array($0.utf8) }
    /// `widgetWordBytes` by first byte, so a class name is scanned once for all the words.
    static let widgetWordsByFirstByte: [[[UInt8]]] = {
        var out = [[[UInt8]]](repeating: [], count: 256)
        for w in widgetWordBytes { out[Int(w[0])].append(w) }
        return out
    }()

    /// `widgetWordBytes.contains { contains(name, $0) }`, trying at each position only the
    /// words that start with its byte (the plain version compared all forty everywhere).
    static func containsWidgetWord(_ name: [UInt8]) -> Bool {
        for i in name.indices {
            for w in widgetWordsByFirstByte[Int(name[i])] where i + w.count <= name.count {
                var k = 1
                while k < w.count && name[i + k] == w[k] { k += 1 }
                if k == w.count { return true }
            }
        }
        return false
    }
    /// `widgetTokens` as bytes, compared in a list: fifteen short comparisons cost less than
    /// making an array of each class-name part to look it up in a set.
    static let widgetTokenBytes: [[UInt8]] = widgetTokens.sorted().map { Array($0.utf8) }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// Link-only lines that still carry release data: addresses, phone numbers, bare URLs (a
    /// link naming years, "Nachrichten 2017/18", is a menu's).
    static func keepsLinkText(_ line: String) -> Bool {
        line.containsASCII("@") || line.containsASCII("(at)") || line.containsASCII("[at]") || line.containsASCII("://") || line.hasPrefix("www.")
            || line.filter(\.isNumber).count >= 6 && !ContactParser.phones(in: line, upTo: 1).isEmpty
    }

    /// A date's label anywhere in a short line ("News date :", "Datum:", "Published").
    static let dateLabel = Rx(#"\b(?:date|datum|fecha|data|published|posted|veröffentlicht|publié)\b"#, needs: ["dat", "fecha", "publi", "posted", "ffentlicht"])

    static func isDateLine(_ line: String) -> Bool {
        line.wordEquivalents <= 10 && DateParser.first(in: line) != nil
    }

    // MARK: text

    /// `append(tree.text(node))`, an ASCII text node read from the tree's bytes as they are
    /// (most text nodes are ASCII; building a String of each only to walk it was a visible cost).
    mutating func appendText(_ node: Int32) {
        let tree = self.tree
        let handled = tree.withTextBytes(node) { bytes in appendIfASCII(bytes) }
        if !handled { append(tree.text(node)) }
    }

    mutating func append(_ raw: String) {
        var raw = raw
        if raw.withUTF8({ appendIfASCII($0) }) { return }
        // Built as UTF-8 bytes: appending to a String scalar by scalar was a visible cost.
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        var space = current.isEmpty || current.last == " "
        for ch in raw.unicodeScalars {
            // Plain ASCII letters and digits are most of the text: no property lookup for them.
            if ch.value < 0x80, ch.value > 0x20 {
                out.append(UInt8(ch.value)); space = false
                let v = ch.value | 0x20
                if (v >= 0x61 && v <= 0x7A) || (ch.value >= 0x30 && ch.value <= 0x39) {
                    letters += 1
                    if linkDepth > 0 { linkedLetters += 1 }
                }
                continue
            }
            switch ch {
            case " ", "\n", "\t", "\r", "\u{0C}", "\u{A0}":
                if !space { out.append(0x20); space = true }
            case "\u{AD}", "\u{200B}", "\u{FEFF}":
                continue
            default:
                UTF8.encode(ch) { out.append($0) }; space = false
                if ScalarProperties.isAlphabetic(ch) || ScalarProperties.isNumeric(ch) {
                    letters += 1
                    if linkDepth > 0 { linkedLetters += 1 }
                }
            }
        }
        finishAppend(out)
    }

    /// `append` for text that is all ASCII, read as bytes with the same rules (spaces collapse,
    /// other control characters are kept); `false`, having done nothing, for any other text.
    private mutating func appendIfASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where b >= 0x80 { return false }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var space = current.isEmpty || current.last == " "
        for b in bytes {
            if b > 0x20 {
                out.append(b); space = false
                let v = b | 0x20
                if (v >= 0x61 && v <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                    letters += 1
                    if linkDepth > 0 { linkedLetters += 1 }
                }
            } else if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                if !space { out.append(0x20); space = true }
            } else {
                out.append(b); space = false
            }
        }
        finishAppend(out)
        return true
    }

    /// Adds the appended bytes to the current line, after a pending list bullet.
    private mutating func finishAppend(_ out: [UInt8]) {
        if pendingBullet, out.contains(where: { $0 != 0x20 }) {
            current += current.isEmpty ? "• " : ""
            pendingBullet = false
        }
        current += String(decoding: out, as: UTF8.self)
    }

    mutating func breakLine(blank: Bool) {
        var line = current.trimmingScalars(where: Self.isHorizontalSpace)
        if line == "•" { line = "" }
        if letters > 0, linkedLetters >= letters, !Self.keepsLinkText(line) { line = "" }
        if afterImage, !line.isEmpty {
            afterImage = false
            // A caption: short (`wordEquivalents`), and not a sentence of the text (in any script); a labelled date ("News date : 04/21/2022") is the page's.
            if line.wordEquivalents <= 20, !line.endsSentenceAnyScript, !(Self.dateLabel.test(line) && DateParser.first(in: line) != nil) { line = "" }
        }
        current = ""
        letters = 0
        linkedLetters = 0
        if !line.isEmpty {
            if ruleBefore { ruledLines.append(lines.count); ruleBefore = false }
            lines.append(line)
            let block = blockStack.last
            // Only equality matters: the parent's index, off by one so that no parent is 0.
            containers.append(block.map { Int(tree[$0].parent) + 1 } ?? 0)
        }
        if blank, let last = lines.last, !last.isEmpty { lines.append(""); containers.append(0) }
    }

    /// The text of the element's descendants, a space for each `<br>`. Scripts and styles inside
    /// it add nothing: their bodies are code, and the tree may not hold them (`HTMLTree.parse`).
    func text(of node: Int32) -> String {
        var out = ""
        var stack: [Int32] = []
        var c = tree[node].lastChild
        while c >= 0 { stack.append(c); c = tree[c].previous }
        while let n = stack.popLast() {
            if tree.isText(n) {
                out += tree.text(n)
            } else if tree.isElement(n) {
                let special = tag(n).special
                if special == .script || special == .style { continue }
                if special == .br, let last = out.unicodeScalars.last, !HTMLDocumentReader.isCJKScalar(last) { out += " " }
                var k = tree[n].lastChild
                while k >= 0 { stack.append(k); k = tree[k].previous }
            }
        }
        return out
    }

    /// The text of the elements holding a "©" or "Copyright" text node, scripts and styles aside,
    /// in document order, up to three (collapsed; each at most 200 characters).
    func copyrightLines() -> [String] {
        // The page's text bytes are searched once; only text nodes holding a hit are read.
        let hits = tree.textBytes.withUnsafeBufferPointer { HTMLDocumentReader.copyrightMarkOffsets($0, limit: 256) }
        guard !hits.isEmpty else { return [] }
        var found: [String] = []
        var seen: Set<Int32> = []
        for n in tree.nodes.indices where found.count < 3 {
            let node = Int32(n)
            guard tree.isText(node), !tree[node].isRawText else { continue }
            let range = Int(tree[node].start)..<Int(tree[node].end)
            guard hits.contains(where: range.contains) else { continue }
            let parent = tree[node].parent
            guard parent >= 0, tree.isElement(parent), !seen.contains(parent) else { continue }
            let special = tag(parent).special
            if special == .script || special == .style || special == .title { continue }
            seen.insert(parent)
            let line = Self.collapse(text(of: parent))
            if !line.isEmpty, line.count <= 200 { found.append(line) }
        }
        return found
    }

    /// Whether an `href`'s path (before any "?" or "#") ends in ".pdf", in any case.
    static func isPDF(_ href: ArraySlice<UInt8>) -> Bool {
        var end = href.endIndex
        if let cut = href.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) { end = cut }
        while end > href.startIndex, href[end - 1] == 0x20 || href[end - 1] == 0x0A || href[end - 1] == 0x09 { end -= 1 }
        guard end - href.startIndex >= 4 else { return false }
        let tail = href[(end - 4)..<end].map { $0 | 0x20 }
        return tail == Array(".pdf".utf8)
    }

    /// CharacterSet.whitespaces: category Zs and the tab.
    static func isHorizontalSpace(_ u: Unicode.Scalar) -> Bool {
        u.value == 0x20 || u.value == 0x09 || (u.value >= 0x80 && ScalarProperties.isSpaceSeparator(u))
    }

    static func collapse(_ s: String) -> String {
        var w = Walker()
        w.append(s)
        return w.current.trimmingScalars(where: isHorizontalSpace)
    }
}
