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

    /// The files to read, folders expanded (sorted, hidden files skipped), in the order given.
    private var files: [String] {
        inputs.flatMap { input -> [String] in
            var isFolder: ObjCBool = false
            guard input != "-", FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), isFolder.boolValue,
                  let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: input), includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            else { return [input] }
            return walker.compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .map(\.path)
                .sorted()
        }
    }

    func run() async throws {
        if json {
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
        for path in paths {
            switch extract(path) {
            case .failure(let failure):
                printError("\(path): \(failure.reason)")
                failed = true
            case .success(let extraction):
                // Several files: JSON Lines, one object per line, so that a reader can split them.
                FileHandle.standardOutput.write(paths.count > 1 ? ReleaseImporter.jsonLine(extraction) : ReleaseImporter.json(extraction))
                FileHandle.standardOutput.write(Data("\n".utf8))
                let missing = extraction.missingRequiredFields
                if !missing.isEmpty {
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
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}

struct ImportFailure: Error {
    var reason: String
}
