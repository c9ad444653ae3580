import CLibXML2

/// A saved web page as libxml2's HTML parser reads it: the elements and text nodes of the tree
/// `htmlReadMemory` would build, held in flat arrays, with only the attributes the reader asks
/// about (`HTMLTree.Attribute`). Comments, processing instructions and the doctype are left out;
/// the reader never looked at them.
///
/// The parser is libxml2's HTML parser all the same (`htmlParseDocument`, same options, same
/// encoding handling as `htmlReadMemory`), only driven through its SAX callbacks: letting libxml2
/// allocate, link and free a node per element, attribute, attribute value and text, and then
/// copying names and values out of them as Swift strings, was about a third of the HTML import.
/// `Builder` turns the events into the shape libxml2's own tree builder (SAX2.c, libxml2 2.9)
/// gives them, quirks included, so that the reader sees the same elements and text.
struct HTMLTree {
    /// The attributes the reader looks at. Others are not kept.
    enum Attribute: UInt8, CaseIterable {
        case lang = 1, xmlLang, property, name, itemprop, content, value, type, datetime
        case hidden, ariaHidden, style, role, `class`, id, href, rel

        /// The name as the parser reports it (libxml2 lower-cases HTML attribute names).
        var markupName: String {
            switch self {
            case .lang: "lang"
            case .xmlLang: "xml:lang"
            case .property: "property"
            case .name: "name"
            case .itemprop: "itemprop"
            case .content: "content"
            case .value: "value"
            case .type: "type"
            case .datetime: "datetime"
            case .hidden: "hidden"
            case .ariaHidden: "aria-hidden"
            case .style: "style"
            case .role: "role"
            case .class: "class"
            case .id: "id"
            case .href: "href"
            case .rel: "rel"
            }
        }
    }

    enum Kind: UInt8 { case document, element, text }

    struct Node {
        var kind: Kind
        /// For a text node: read as a script's or style's body (libxml2's `cdataBlock`, which its
        /// HTML parser calls for nothing else), not as markup's text.
        var isRawText = false
        /// Index in `tagNames` for an element, -1 otherwise.
        var tag: Int32 = -1
        var parent: Int32 = -1
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var next: Int32 = -1
        var previous: Int32 = -1
        /// A text node's bytes in `textBytes`; an element's entries in `attributes`.
        var start: Int32 = 0
        var end: Int32 = 0
    }

    struct AttributeEntry {
        var attribute: Attribute
        /// The value's bytes in `attributeBytes`.
        var start: Int32
        var end: Int32
    }

    /// Node 0 is the document; the tree built by libxml2 hangs from it.
    private(set) var nodes: [Node] = [Node(kind: .document)]
    /// Element names, lower-case, as the tree holds them (the local part of a prefixed name).
    private(set) var tagNames: [String] = []
    private(set) var attributes: [AttributeEntry] = []
    private(set) var attributeBytes: [UInt8] = []
    /// UTF-8 from libxml2; a page that claimed UTF-8 behind a byte-order mark can still hold stray bytes.
    private(set) var textBytes: [UInt8] = []

    static let document: Int32 = 0

    /// The root element (`xmlDocGetRootElement`): the document's first element child.
    var root: Int32? {
        var c = nodes[0].firstChild
        while c >= 0 {
            if nodes[Int(c)].kind == .element { return c }
            c = nodes[Int(c)].next
        }
        return nil
    }

    subscript(_ n: Int32) -> Node { nodes[Int(n)] }

    func isElement(_ n: Int32) -> Bool { nodes[Int(n)].kind == .element }
    func isText(_ n: Int32) -> Bool { nodes[Int(n)].kind == .text }

    /// A text node's content, decoded the way `String(cString:)` decoded libxml2's (invalid bytes repaired).
    func text(_ n: Int32) -> String {
        let node = nodes[Int(n)]
        return textBytes.withUnsafeBufferPointer { String(decoding: $0[Int(node.start)..<Int(node.end)], as: UTF8.self) }
    }

    /// Calls `body` with a text node's raw bytes (UTF-8 from libxml2, possibly with stray bytes).
    func withTextBytes<R>(_ n: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let node = nodes[Int(n)]
        return textBytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(node.start)..<Int(node.end)])) }
    }

    /// `true` when the element carries any attribute the reader asks about.
    func hasAttributes(_ n: Int32) -> Bool {
        let node = nodes[Int(n)]
        return node.kind == .element && node.end > node.start
    }

    /// Value of the element's attribute (`""` for one written without a value), or `nil`.
    func attribute(_ n: Int32, _ a: Attribute) -> String? {
        guard let range = attributeRange(n, a) else { return nil }
        return attributeBytes.withUnsafeBufferPointer { String(decoding: $0[range], as: UTF8.self) }
    }

    /// The same value as raw UTF-8 bytes.
    func attributeBytes(_ n: Int32, _ a: Attribute) -> ArraySlice<UInt8>? {
        attributeRange(n, a).map { attributeBytes[$0] }
    }

    private func attributeRange(_ n: Int32, _ a: Attribute) -> Range<Int>? {
        let node = nodes[Int(n)]
        guard node.kind == .element else { return nil }
        var i = Int(node.start)
        while i < Int(node.end) {
            let entry = attributes[i]
            if entry.attribute == a { return Int(entry.start)..<Int(entry.end) }
            i += 1
        }
        return nil
    }

    // MARK: building

    fileprivate mutating func reserve(nodes: Int, textBytes count: Int) {
        self.nodes.reserveCapacity(nodes)
        textBytes.reserveCapacity(count)
    }

    fileprivate mutating func addNode(_ node: Node) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// Links `child` as the last child of `parent`.
    fileprivate mutating func append(_ child: Int32, to parent: Int32) {
        let last = nodes[Int(parent)].lastChild
        nodes[Int(child)].parent = parent
        nodes[Int(child)].previous = last
        if last >= 0 { nodes[Int(last)].next = child } else { nodes[Int(parent)].firstChild = child }
        nodes[Int(parent)].lastChild = child
    }

    /// Unlinks the element's children; they stay in the arrays, unreachable from the tree.
    mutating func removeChildren(of element: Int32) {
        nodes[Int(element)].firstChild = -1
        nodes[Int(element)].lastChild = -1
    }

    fileprivate mutating func addTag(_ name: String) -> Int32 {
        tagNames.append(name)
        return Int32(tagNames.count - 1)
    }

    fileprivate mutating func addAttribute(_ a: Attribute, value: UnsafePointer<xmlChar>?) {
        let start = Int32(attributeBytes.count)
        if let value { attributeBytes.append(contentsOf: UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value)))) }
        attributes.append(AttributeEntry(attribute: a, start: start, end: Int32(attributeBytes.count)))
    }

    fileprivate mutating func appendText(_ bytes: UnsafePointer<xmlChar>, count: Int, extending node: Int32?, rawText: Bool) -> Int32 {
        textBytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        if let node {
            nodes[Int(node)].end = Int32(textBytes.count)
            return node
        }
        return addNode(Node(kind: .text, isRawText: rawText, start: Int32(textBytes.count - count), end: Int32(textBytes.count)))
    }
}

extension HTMLTree {
    /// Parses `bytes` with libxml2's HTML parser exactly as `htmlReadMemory(bytes, nil, encoding, options)`
    /// does, building an `HTMLTree` instead of libxml2's tree. `nil` when libxml2 cannot make a parser.
    static func parse(_ bytes: [UInt8], encoding: String, options: Int32) -> HTMLTree? {
        xmlInitParser()
        let context: xmlParserCtxtPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { xmlCreateMemoryParserCtxt($0, Int32(buf.count)) }
        }
        guard let ctxt = context else { return nil }
        // A struct behind a pointer rather than a class instance: the callbacks mutate it for
        // every element and text, and a class's stored properties would be checked for
        // exclusive access at run time on each of those mutations.
        let builder = UnsafeMutablePointer<Builder>.allocate(capacity: 1)
        builder.initialize(to: Builder(expectedBytes: bytes.count))
        defer {
            if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc) }
            ctxt.pointee.myDoc = nil
            xmlFreeParserCtxt(ctxt)
            builder.pointee.placeholder.deallocate()
            builder.deinitialize(count: 1)
            builder.deallocate()
        }
        // htmlReadMemory's set-up (libxml2 2.9 HTMLparser.c: htmlReadMemory, htmlDoRead), with the
        // tree-building callbacks replaced.
        htmlDefaultSAXHandlerInit()
        if let sax = ctxt.pointee.sax {
            UnsafeMutableRawPointer(sax).copyMemory(from: __htmlDefaultSAXHandler(), byteCount: MemoryLayout<xmlSAXHandlerV1>.size)
            Builder.install(in: sax)
        }
        htmlCtxtUseOptions(ctxt, options)
        ctxt.pointee.html = 1
        if let handler = xmlFindCharEncodingHandler(encoding) {
            xmlSwitchToEncoding(ctxt, handler)
            if let input = ctxt.pointee.input {
                if let old = input.pointee.encoding { clibxml2_free(UnsafeMutableRawPointer(mutating: old)) }
                input.pointee.encoding = UnsafePointer(xmlStrdup(encoding))
            }
        }
        ctxt.pointee._private = UnsafeMutableRawPointer(builder)
        _ = htmlParseDocument(ctxt)
        return builder.pointee.tree
    }
}

/// Builds an `HTMLTree` from the HTML parser's SAX events, placing nodes where libxml2 2.9's
/// SAX2 tree builder (xmlSAX2StartElement, xmlSAX2EndElement, xmlSAX2Characters,
/// xmlSAX2CDataBlock) places them.
///
/// The parser itself consults the builder's node stack (`ctxt->node`, `ctxt->nodeNr`): it pops
/// it without an end event when a start tag is cut off, and `nodePush` stops the parse past 256
/// open elements. So the builder keeps that stack filled as libxml2's builder would, with one
/// placeholder element standing for every open element, and mirrors it in `open`.
private struct Builder {
    var tree = HTMLTree()
    /// The tree's open elements, innermost last; always as many as libxml2's `ctxt->nodeNr`.
    var open: [Int32] = []
    /// The element libxml2 pushes in place of each real one: childless, so that the parser's
    /// whitespace test (areBlanks) sees an element node as it would in the real tree.
    let placeholder: UnsafeMutablePointer<xmlNode>
    /// The text node that further text of the same kind extends, as libxml2 concatenates text
    /// into the current element's last child when that is text; -1 when there is none.
    var openText: Int32 = -1
    var openTextIsCDATA = false
    /// Whether the root element was the document's first child when it was made (no comment
    /// or processing instruction before it). libxml2 hangs an element that starts after the
    /// root has closed inside the root when the root is still the first child (a doctype, whose
    /// DTD node libxml2 inserts first, also ends that), and outside the tree otherwise.
    var rootIsFirstChild = false
    var tagsByName: [UnsafeRawPointer: Int32] = [:]
    var tagsByString: [String: Int32] = [:]
    /// Attribute names (interned by the parser's dictionary) to the attribute kept, or nil.
    var attributesByName: [UnsafeRawPointer: HTMLTree.Attribute?] = [:]

    init(expectedBytes: Int) {
        // Room for a typical page up front, so that the arrays are not copied as they grow.
        tree.reserve(nodes: expectedBytes / 32, textBytes: expectedBytes / 2)
        placeholder = .allocate(capacity: 1)
        placeholder.initialize(to: xmlNode())
        placeholder.pointee.type = XML_ELEMENT_NODE
    }

    static func install(in sax: UnsafeMutablePointer<xmlSAXHandler>) {
        sax.pointee.startElement = { ctx, name, atts in Builder.from(ctx)?.pointee.startElement(ctx, name, atts) }
        sax.pointee.endElement = { ctx, _ in Builder.from(ctx)?.pointee.endElement(ctx) }
        sax.pointee.characters = { ctx, ch, len in Builder.from(ctx)?.pointee.text(ctx, ch, len, cdata: false) }
        sax.pointee.cdataBlock = { ctx, ch, len in Builder.from(ctx)?.pointee.text(ctx, ch, len, cdata: true) }
        sax.pointee.comment = { ctx, value in Builder.from(ctx)?.pointee.otherChild(ctx) { xmlSAX2Comment(ctx, value) } }
        sax.pointee.processingInstruction = { ctx, target, data in
            Builder.from(ctx)?.pointee.otherChild(ctx) { xmlSAX2ProcessingInstruction(ctx, target, data) }
        }
        // startDocument and internalSubset stay libxml2's: they make the (empty) document and its
        // DTD node, which the parser and the root placement below consult.
    }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<Builder>? {
        guard let ctx, let p = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return p.assumingMemoryBound(to: Builder.self)
    }

    private static func context(_ ctx: UnsafeMutableRawPointer?) -> xmlParserCtxtPtr {
        ctx!.assumingMemoryBound(to: xmlParserCtxt.self)
    }

    /// Drops open elements libxml2 popped without an end event (a start tag cut off by the end of input).
    private mutating func sync(_ ctxt: xmlParserCtxtPtr) {
        let depth = max(0, Int(ctxt.pointee.nodeNr))
        if open.count > depth {
            open.removeLast(open.count - depth)
            openText = -1
        }
    }

    mutating func startElement(_ ctx: UnsafeMutableRawPointer?, _ fullName: UnsafePointer<xmlChar>?, _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let ctxt = Self.context(ctx)
        sync(ctxt)
        guard let fullName, let doc = ctxt.pointee.myDoc else { return }
        let hadRoot = tree.nodes[0].firstChild >= 0
        let docHadChildren = doc.pointee.children != nil || hadRoot
        // Past 256 open elements nodePush stops the parser and the element is not kept.
        if nodePush(ctxt, placeholder) < 0 { return }
        openText = -1
        var node = HTMLTree.Node(kind: .element, tag: tag(ctxt, fullName))
        node.start = Int32(tree.attributes.count)
        if var a = atts {
            while let name = a.pointee {
                let value = a.advanced(by: 1).pointee
                if let kept = attribute(name) { tree.addAttribute(kept, value: value) }
                a += 2
            }
        }
        node.end = Int32(tree.attributes.count)
        let index = tree.addNode(node)
        if let parent = open.last {
            tree.append(index, to: parent)
        } else if !docHadChildren {
            tree.append(index, to: HTMLTree.document)
            rootIsFirstChild = true
        } else if !hadRoot {
            // After a comment, PI or doctype: a sibling of it, and the first element, so the root.
            tree.append(index, to: HTMLTree.document)
            rootIsFirstChild = false
        } else if rootIsFirstChild, doc.pointee.intSubset == nil, let root = tree.root {
            // libxml2 makes the document's first child the parent (a DTD, inserted first, ends that).
            tree.append(index, to: root)
        }
        // Otherwise a sibling after the root: outside the tree the reader walks.
        open.append(index)
    }

    mutating func endElement(_ ctx: UnsafeMutableRawPointer?) {
        let ctxt = Self.context(ctx)
        sync(ctxt)
        _ = nodePop(ctxt)
        sync(ctxt)
        openText = -1
    }

    mutating func text(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32, cdata: Bool) {
        let ctxt = Self.context(ctx)
        sync(ctxt)
        // libxml2 drops text outside any element.
        guard let ch, len > 0, let parent = open.last else { return }
        let extending = openText >= 0 && openTextIsCDATA == cdata ? openText : nil
        let node = tree.appendText(ch, count: Int(len), extending: extending, rawText: cdata)
        if extending == nil { tree.append(node, to: parent) }
        openText = node
        openTextIsCDATA = cdata
    }

    /// A comment or processing instruction: not kept, but it ends the text before it, and outside
    /// the root libxml2 adds it to the document (which decides where a later element goes).
    mutating func otherChild(_ ctx: UnsafeMutableRawPointer?, addToDocument: () -> Void) {
        let ctxt = Self.context(ctx)
        sync(ctxt)
        openText = -1
        if open.isEmpty, ctxt.pointee.node == nil { addToDocument() }
    }

    private mutating func tag(_ ctxt: xmlParserCtxtPtr, _ fullName: UnsafePointer<xmlChar>) -> Int32 {
        let key = UnsafeRawPointer(fullName)
        if let known = tagsByName[key] { return known }
        var name = String(cString: fullName)
        // xmlSAX2StartElement keeps only the local part of a prefixed name ("o:p" is a "p").
        if name.utf8.contains(UInt8(ascii: ":")) {
            var prefix: UnsafeMutablePointer<xmlChar>?
            if let local = xmlSplitQName(ctxt, fullName, &prefix) {
                name = String(cString: local)
                clibxml2_free(local)
            }
            if let prefix { clibxml2_free(prefix) }
        }
        let index = tagsByString[name] ?? tree.addTag(name)
        tagsByString[name] = index
        tagsByName[key] = index
        return index
    }

    private mutating func attribute(_ name: UnsafePointer<xmlChar>) -> HTMLTree.Attribute? {
        let key = UnsafeRawPointer(name)
        if let known = attributesByName[key] { return known }
        let string = String(cString: name)
        let kept = HTMLTree.Attribute.allCases.first { $0.markupName == string }
        attributesByName[key] = kept
        return kept
    }
}
