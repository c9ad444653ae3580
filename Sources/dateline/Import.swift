import ArgumentParser
import DatelineServer
import Foundation
import Logging
import ReleaseImport

/// `dateline import FILE...`: plain-text releases as found on the web, into drafts or onto the wire.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import press releases: plain text or saved web pages.",
        discussion: """
        Each file is read (a folder: every file in it, recursively; "-": standard input), its \
        fields extracted, and stored as a draft (--publish publishes it), creating or matching its \
        organization and media contacts. Web pages are recognized by their content, in any declared \
        encoding. Each file is stored in its own transaction: a bad file is reported and the others \
        are still imported. With --json nothing is stored: the extraction is printed as JSON \
        (one object per line when there are several files).
        """
    )

    @Argument(help: "Release files or folders; - reads standard input.") var inputs: [String]
    @Flag(help: "Print the extraction as JSON and store nothing.") var json = false
    @Flag(help: "Publish at once (an embargoed release waits for its lift time).") var publish = false
    @Option(help: "The issuing organization, when the text does not name it.") var organization: String?
    @Option(name: .customLong("topic"), help: "A topic to file the release under (repeatable).") var topics: [String] = []
    @Option(help: "The largest file accepted, in bytes.") var maximumBytes = ReleaseImporter.maximumBytes
    @Flag(help: .hidden) var evidence = false
    /// For diagnosing a page: print the text lines the HTML path hands to the extractor.
    @Flag(help: .hidden) var pageText = false

    /// The files to read, folders expanded (sorted, hidden files skipped), in the order given.
    private var files: [String] {
        inputs.flatMap { input -> [String] in
            var isFolder: ObjCBool = false
            guard input != "-", FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), isFolder.boolValue else { return [input] }
            return Self.regularFiles(under: URL(fileURLWithPath: input).path)
        }
    }

    /// Every regular file below `folder` (absolute paths, sorted), hidden files and folders
    /// skipped; symbolic links inside it are not followed (the folder named on the command line
    /// may itself be one: it is read). One `lstat` per entry: FileManager's enumerator with
    /// `resourceValues` cost about 24 µs a file, a visible share of importing a migrated archive.
    private static func regularFiles(under folder: String) -> [String] {
        var found: [String] = []
        var pending = [folder]
        while let dir = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFREG: found.append(path)
                case S_IFDIR: pending.append(path)
                default: break
                }
            }
        }
        return found.sorted()
    }

    func run() async throws {
        if pageText {
            for path in files {
                guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { continue }
                print(ReleaseImporter.debugPageText(data))
            }
        } else if json {
            try printExtractions()
        } else {
            try await storeReleases()
        }
    }

    /// Reads one file and extracts it, or says what is wrong with it.
    private func extract(_ path: String) -> Result<ImportedRelease, ImportFailure> {
        let data: Data
        do {
            data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return .failure(ImportFailure(reason: "cannot be read (\(error.localizedDescription))"))
        }
        do {
            return .success(try ReleaseImporter.extract(data: data, maximumBytes: maximumBytes))
        } catch {
            return .failure(ImportFailure(reason: error.description))
        }
    }

    private func printExtractions() throws {
        var failed = false
        let paths = files
        // Objects are written out 64 KB at a time rather than two writes per file; the buffer is
        // emptied before each message to standard error, so the two streams keep their order.
        var pending = Data()
        func flush() {
            if !pending.isEmpty { FileHandle.standardOutput.write(pending); pending.removeAll(keepingCapacity: true) }
        }
        defer { flush() }
        for path in paths {
            switch extract(path) {
            case .failure(let failure):
                flush()
                printError("\(path): \(failure.reason)")
                failed = true
            case .success(let extraction):
                // Several files: JSON Lines, one object per line, so that a reader can split them.
                pending.append(paths.count > 1 ? ReleaseImporter.jsonLine(extraction) : ReleaseImporter.json(extraction))
                pending.append(UInt8(ascii: "\n"))
                if pending.count >= 65_536 { flush() }
                // The evidence behind each confidence, for bench/import-confidence-fit.py.
                if evidence, let line = try? JSONSerialization.data(withJSONObject: extraction.evidenceLevels, options: [.sortedKeys]) {
                    flush()
                    printError("\(path): evidence: " + String(decoding: line, as: UTF8.self))
                }
                // SCHEMA.md's JSON has no field for notes, so they go to standard error beside it.
                if let note = extraction.embargoNote {
                    flush()
                    printError("\(path): note: \(note)")
                }
                let missing = extraction.missingRequiredFields
                if !missing.isEmpty {
                    flush()
                    printError("\(path): no \(missing.joined(separator: ", ")) found; printed with null")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func storeReleases() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline")
        logger.logLevel = .warning
        let hub: DatabaseHub
        do {
            hub = try DatabaseHub(location: settings.database, logger: logger)
            try await hub.migrate()
        } catch {
            printError("dateline import: cannot open the database: \(error)")
            throw ExitCode.failure
        }
        let store = ReleaseStore(hub: hub)
        let options = ImportOptions(publish: publish, organizationName: organization, topics: topics)
        var imported = 0
        var skipped: [(String, String)] = []
        var failed: [(String, String)] = []
        var notes: [(String, String)] = []
        let files = self.files
        for (index, path) in files.enumerated() {
            let progress = files.count > 1 ? "[\(index + 1)/\(files.count)] " : ""
            switch extract(path) {
            case .failure(let failure):
                failed.append((path, failure.reason))
                printError("\(progress)\(path): \(failure.reason)")
            case .success(let extraction):
                do {
                    switch try await store.store(extraction, options: options) {
                    case .imported(let id, let slug, let status):
                        imported += 1
                        print("\(progress)\(path): imported as \(status) release \(id) (/releases/\(slug))")
                        if let note = extraction.embargoNote {
                            print("\(progress)\(path): note: \(note)")
                            notes.append((path, note))
                        }
                    case .skipped(let reason):
                        skipped.append((path, reason))
                        print("\(progress)\(path): skipped, \(reason)")
                    }
                } catch {
                    failed.append((path, "\(error)"))
                    printError("\(progress)\(path): \(error)")
                }
            }
        }
        await hub.shutdown()
        if files.count > 1 {
            print("\nImported \(imported), skipped \(skipped.count), failed \(failed.count) of \(files.count) files.")
            for (path, reason) in skipped { print("  skipped \(path): \(reason)") }
            for (path, reason) in failed { print("  failed  \(path): \(reason)") }
            for (path, note) in notes { print("  note    \(path): \(note)") }
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}

struct ImportFailure: Error {
    var reason: String
}
