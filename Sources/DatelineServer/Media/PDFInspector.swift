import CompressNIO
import Foundation
import NIOCore
import NIOPosix

/// Whether a PDF carries anything that runs when it is opened: JavaScript (`/JS`,
/// `/JavaScript`), automatic actions (`/OpenAction`, `/AA`), launching programs (`/Launch`),
/// or forms that submit or import data (`/SubmitForm`, `/ImportData`). Names are read with their
/// `#xx` escapes undone (ISO 32000-1 §7.3.5), and the object streams that PDF 1.5 compresses
/// dictionaries into are inflated and read too. Written here because no reachable library
/// parses PDF; it judges by names only and refuses when in doubt (an object stream filtered
/// otherwise than by Flate alone, or one that does not inflate or inflates past the limit).
enum PDFInspector {
    /// Names whose presence refuses the file.
    static let activeNames: Set<String> = [
        "JS", "JavaScript", "OpenAction", "AA", "Launch", "SubmitForm", "ImportData", "RichMedia",
        // XFA forms script in an XML stream; embedded files are offered to open.
        "XFA", "EmbeddedFile", "EmbeddedFiles", "GoToE",
    ]
    /// The most bytes inflated from object streams, in all.
    static let inflateLimit = 64 * 1024 * 1024

    /// What the inspection found.
    enum Verdict: Equatable, Sendable {
        /// No active name anywhere.
        case clean
        /// An active name, in the file or in an object stream.
        case active
        /// An object stream this inspector cannot read (so it cannot say the file is clean).
        case unreadable
    }

    /// ``verdict(_:)`` on NIO's thread pool, off the event loops and Swift's cooperative
    /// threads (a large PDF takes a while to read).
    static func inspect(_ data: Data) async throws -> Verdict {
        try await NIOThreadPool.singleton.runIfActive { verdict(data) }
    }

    /// Whether the PDF has an active name anywhere it can be read, and whether it could all be read.
    static func verdict(_ data: Data) -> Verdict {
        let bytes = [UInt8](data)
        if containsActiveName(bytes[...]) { return .active }
        var inflated = 0
        var unreadable = false
        for stream in objectStreams(bytes) {
            guard case .deflated(let compressed) = stream else { unreadable = true; continue }
            var buffer = ByteBuffer(bytes: compressed)
            guard let plain = try? buffer.decompress(with: .zlib(), maxSize: inflateLimit - inflated) else { unreadable = true; continue }
            inflated += plain.readableBytes
            if containsActiveName(ArraySlice(plain.readableBytesView)) { return .active }
        }
        return unreadable ? .unreadable : .clean
    }

    /// True unless the PDF is ``Verdict/clean``.
    static func hasActiveContent(_ data: Data) -> Bool { verdict(data) != .clean }

    /// Every `/Name` token, its escapes undone, checked against ``activeNames``.
    static func containsActiveName(_ bytes: ArraySlice<UInt8>) -> Bool {
        var found = false
        forEachName(bytes) { name in
            found = activeNames.contains(name)
            return !found
        }
        return found
    }

    /// Every `/Name` token in `bytes`, its `#xx` escapes undone (for a dictionary's few names).
    static func names(_ bytes: ArraySlice<UInt8>) -> [String] {
        var found: [String] = []
        forEachName(bytes) { found.append($0); return true }
        return found
    }

    /// Calls `body` with each `/Name` token, its escapes undone, while it returns true; holds one
    /// name at a time, whatever the file holds.
    static func forEachName(_ bytes: ArraySlice<UInt8>, _ body: (String) -> Bool) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "/") else { index += 1; continue }
            var name: [UInt8] = []
            var cursor = index + 1
            while cursor < bytes.endIndex, isNameByte(bytes[cursor]) {
                if bytes[cursor] == UInt8(ascii: "#"), cursor + 2 < bytes.endIndex,
                   let high = hexValue(bytes[cursor + 1]), let low = hexValue(bytes[cursor + 2]) {
                    name.append(high << 4 | low)
                    cursor += 3
                } else {
                    name.append(bytes[cursor])
                    cursor += 1
                }
            }
            if !name.isEmpty, !body(String(decoding: name, as: UTF8.self)) { return }
            index = cursor
        }
    }

    /// An object stream as found: its bytes when they are only deflated (`/FlateDecode` and no
    /// predictor), else unreadable here.
    enum ObjectStream: Equatable {
        case deflated([UInt8])
        case unreadable
    }

    /// Filters a stream may name (ISO 32000-1 §7.4, with their abbreviations).
    static let filterNames: Set<String> = [
        "FlateDecode", "Fl", "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85", "LZWDecode", "LZW",
        "RunLengthDecode", "RL", "CCITTFaxDecode", "CCF", "JBIG2Decode", "DCTDecode", "DCT", "JPXDecode", "Crypt",
    ]

    /// Each stream whose dictionary (read from its object's `obj` keyword, names unescaped) says
    /// `/ObjStm`. An object stream with any other filter (or a name there that is none), a chain,
    /// or decode parameters is unreadable here; one with no `/Filter` is plain text, already read
    /// with the rest of the file.
    static func objectStreams(_ bytes: [UInt8]) -> [ObjectStream] {
        let streamWord = Array("stream".utf8), endWord = Array("endstream".utf8), objWord = Array("obj".utf8)
        var streams: [ObjectStream] = []
        var index = 0
        while let start = find(streamWord, in: bytes, from: index) {
            // `stream` starts the data only after a dictionary's `>>`, not inside `endstream`.
            let isEnd = start >= 3 && Array(bytes[(start - 3)..<start]) == Array("end".utf8)
            var dataStart = start + streamWord.count
            guard !isEnd else { index = dataStart; continue }
            if dataStart < bytes.count, bytes[dataStart] == 0x0D { dataStart += 1 }
            if dataStart < bytes.count, bytes[dataStart] == 0x0A { dataStart += 1 }
            let end = find(endWord, in: bytes, from: dataStart) ?? bytes.count
            // The dictionary: from the last `obj` (not `endobj`) before the stream, nested
            // dictionaries included, within the last 4 KiB and after the stream before (so that
            // a file of many streams is read once, not 4 KiB again for each).
            var headStart = max(index, start - 4096)
            let cut = headStart > index
            guard let obj = findLast(objWord, in: bytes, from: headStart, before: start) else {
                // A dictionary longer than the window could hide /ObjStm before it: refuse.
                if cut { streams.append(.unreadable) }
                index = end + endWord.count
                continue
            }
            headStart = obj + objWord.count
            let names = Self.names(bytes[headStart..<start])
            if names.contains("ObjStm") {
                let filters = names.filter { filterNames.contains($0) }
                if !names.contains("Filter") {
                    // Not compressed: its text was read with the file's.
                } else if filters.count == 1, ["FlateDecode", "Fl"].contains(filters[0]), !names.contains("DecodeParms") {
                    streams.append(.deflated(Array(bytes[dataStart..<end])))
                } else {
                    streams.append(.unreadable)
                }
            }
            index = end + endWord.count
        }
        return streams
    }

    /// The last `needle` in `bytes[from..<before]` that is not the end of `endobj`.
    private static func findLast(_ needle: [UInt8], in bytes: [UInt8], from: Int, before: Int) -> Int? {
        var index = before - needle.count
        while index >= from {
            if bytes[index..<(index + needle.count)].elementsEqual(needle), !(index >= 3 && bytes[(index - 3)..<index].elementsEqual("end".utf8)) {
                return index
            }
            index -= 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count, start <= bytes.count - needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// Regular characters of a name: not white space, not a delimiter (ISO 32000-1 §7.2.2).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        !(byte <= 0x20 || "()<>[]{}/%".utf8.contains(byte))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
