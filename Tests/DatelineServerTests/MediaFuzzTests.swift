@testable import DatelineServer
import Foundation
import Testing

/// Mutated files through the checks and the processing: a valid JPEG, PNG, WebP and PDF (made by
/// Pillow), each changed by bit flips, truncations, duplicated and overwritten runs of bytes,
/// from a fixed seed. Every case must end, within its deadline, either processed or refused with
/// a ``MediaError``: no crash, no hang, no other error.
@Suite("Media fuzzing")
struct MediaFuzzTests {
    /// SplitMix64: the same cases on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One mutation of `data`, its kind named for the failure message.
    static func mutate(_ data: Data, _ random: inout Generator) -> (String, Data) {
        var bytes = [UInt8](data)
        let count = bytes.count
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            let flips = Int.random(in: 1...8, using: &random)
            for _ in 0..<flips { bytes[Int.random(in: 0..<count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random) }
            return ("\(flips) bit flips", Data(bytes))
        case 1:
            let length = Int.random(in: 1..<count, using: &random)
            return ("truncated to \(length)", Data(bytes[..<length]))
        case 2:
            let start = Int.random(in: 0..<count, using: &random)
            let end = min(count, start + Int.random(in: 1...512, using: &random))
            let at = Int.random(in: 0...count, using: &random)
            bytes.insert(contentsOf: bytes[start..<end], at: at)
            return ("bytes \(start)..<\(end) duplicated at \(at)", Data(bytes))
        case 3:
            let start = Int.random(in: 0..<count, using: &random)
            let end = min(count, start + Int.random(in: 1...64, using: &random))
            for index in start..<end { bytes[index] = UInt8.random(in: 0...255, using: &random) }
            return ("bytes \(start)..<\(end) overwritten", Data(bytes))
        case 4:
            // Sizes and lengths in headers: a byte near the start set to an extreme.
            let index = Int.random(in: 0..<min(count, 64), using: &random)
            bytes[index] = [0x00, 0xFF, 0x7F, 0x80].randomElement(using: &random)!
            return ("byte \(index) set to \(bytes[index])", Data(bytes))
        default:
            let start = Int.random(in: 0..<count, using: &random)
            let end = min(count, start + Int.random(in: 1...256, using: &random))
            bytes.removeSubrange(start..<end)
            return ("bytes \(start)..<\(end) removed", Data(bytes))
        }
    }

    enum Outcome: Sendable {
        case processed
        case refused(MediaError)
        case otherError(String)
    }

    /// What the checks and the processing make of `data`, as an upload named without an
    /// extension (so that a changed signature reaches the processing rather than the name check).
    static func process(_ data: Data) async -> Outcome {
        do {
            let format = try MediaStore.check(.init(fileName: "fuzzed", data: data), limit: 20 * 1_048_576)
            if format.isImage {
                let inspection = try await ImageProcessor.inspect(data, fileName: "fuzzed")
                _ = try await ImageProcessor.renditions(of: data, fileName: "fuzzed", metadata: inspection.metadata)
            } else if try await PDFInspector.inspect(data) != .clean {
                throw MediaError.pdfWithScript(fileName: "fuzzed")
            }
            return .processed
        } catch let error as MediaError {
            return .refused(error)
        } catch {
            return .otherError("\(error)")
        }
    }

    /// Runs `work`, returning nil when it has not ended after `seconds` (it is then left running).
    static func withDeadline(seconds: Double, _ work: @escaping @Sendable () async -> Outcome) async -> Outcome? {
        let first = FirstResult()
        return await withCheckedContinuation { continuation in
            first.continuation = continuation
            Task { first.resume(with: await work()) }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                first.resume(with: nil)
            }
        }
    }

    final class FirstResult: @unchecked Sendable {
        private let lock = NSLock()
        var continuation: CheckedContinuation<Outcome?, Never>?
        func resume(with outcome: Outcome?) {
            lock.withLock {
                continuation?.resume(returning: outcome)
                continuation = nil
            }
        }
    }

    @Test("Mutated JPEG, PNG, WebP and PDF files are processed or refused with a MediaError, never crash or hang", arguments: [
        ("jpeg", UInt64(18_001)), ("png", UInt64(18_002)), ("webp", UInt64(18_003)), ("pdf", UInt64(18_004)), ("pdf-objstm-javascript", UInt64(18_005)),
    ])
    func mutations(kind: String, seed: UInt64) async throws {
        // setup
        let valid = try await MediaSample.make(kind)
        var random = Generator(state: seed)
        var refusals: [String: Int] = [:]
        var processed = 0
        let cases = kind.hasPrefix("pdf") ? 60 : 80

        for number in 0..<cases {
            let (mutation, data) = Self.mutate(valid, &random)
            // MUT: a generous deadline, so only a hang fails it
            let outcome = await Self.withDeadline(seconds: 60) { await Self.process(data) }

            // validation
            switch outcome {
            case nil:
                Issue.record("\(kind) case \(number) (\(mutation)) did not end: a hang")
                return
            case .otherError(let error):
                Issue.record("\(kind) case \(number) (\(mutation)) failed with an error that is no MediaError: \(error)")
            case .refused(let error):
                refusals[String(error.description.prefix(40)), default: 0] += 1
                #expect(!error.description.isEmpty)
            case .processed:
                processed += 1
            }
        }
        // The mutations reached both ends: some files still processed, some refused.
        #expect(processed + refusals.values.reduce(0, +) == cases)
        #expect(!refusals.isEmpty, "\(kind): no mutation was refused")
        if kind != "pdf-objstm-javascript" {
            #expect(processed > 0, "\(kind): every mutation was refused; refusals \(refusals)")
        }
    }

    @Test("PDFs built to make the inspector work hard (200,000 tiny streams, 200,000 names, one 4 MB name) are judged, within the deadline")
    func adversarialPDFs() async throws {
        // Sizes where a pass per stream or per name over the rest of the file would not end in
        // time, kept small enough not to crowd the other tests off the two cores.
        let head = Data("%PDF-1.5\n".utf8)
        let files: [(String, Data)] = [
            ("tiny streams", head + Data(String(repeating: "stream\nendstream\n", count: 200_000).utf8)),
            ("names", head + Data(String(repeating: "/a", count: 200_000).utf8)),
            ("one long name", head + Data("/".utf8) + Data(repeating: UInt8(ascii: "a"), count: 4_000_000)),
            ("object streams that do not end", head + Data(String(repeating: "1 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\n", count: 20_000).utf8)),
        ]
        for (name, data) in files {
            let outcome = await Self.withDeadline(seconds: 60) { await Self.process(data) }
            switch outcome {
            case nil: Issue.record("\(name): the inspector did not end")
            case .otherError(let error): Issue.record("\(name): \(error)")
            case .processed, .refused: break
            }
        }
    }
}
