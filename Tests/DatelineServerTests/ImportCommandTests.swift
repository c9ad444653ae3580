import DatelineServer
import FluentKit
import Foundation
import SQLKit
import Testing

/// Runs the real `dateline` binary, as an operator would.
struct CommandResult {
    var status: Int32
    var output: String
    var errors: String
}

func runDateline(_ arguments: [String], database: DatabaseLocation, environment extra: [String: String] = [:], input: Data? = nil) throws -> CommandResult {
    let binary = repositoryRoot.appendingPathComponent(".build/debug/dateline")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    var environment = ProcessInfo.processInfo.environment
    switch database {
    case .sqlite(let path): environment["DATELINE_DATABASE_URL"] = path
    case .postgres(let url): environment["DATELINE_DATABASE_URL"] = url
    }
    environment.merge(extra) { _, new in new }
    process.environment = environment
    if let input {
        let pipe = Pipe()
        process.standardInput = pipe
        pipe.fileHandleForWriting.write(input)
        try pipe.fileHandleForWriting.close()
    }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
}

func releaseCount(_ location: DatabaseLocation) async throws -> Int {
    let hub = try DatabaseHub(location: location, logger: quietLogger)
    try await hub.migrate()
    let sql = try hub.database as! any SQLDatabase
    let count = try await sql.raw("SELECT COUNT(*) AS n FROM releases").first()?.decode(column: "n", as: Int.self) ?? -1
    await hub.shutdown()
    return count
}

/// Writes test files into a temporary folder, removed afterwards.
func withFiles<T>(_ files: [String: Data], _ body: (URL) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
    return try await body(folder)
}

@Suite("dateline import")
struct ImportCommandTests {
    @Test("import --json on the seed prints the extraction and stores nothing")
    func jsonSeed() async throws {
        try await TestDatabase.withFresh { location in
            // MUT
            let result = try runDateline(["import", "--json", "Samples/seed-release.txt"], database: location)

            // validation
            #expect(result.status == 0, "\(result.errors)")
            let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            #expect(json?["release_timing"] as? String == "immediate")
            #expect(json?["dateline_city"] as? String == "WASHINGTON")
            #expect(json?["headline"] as? String == "Prisoner Pardons in Iran Welcome, But Hundreds More Who Should Be Free Remain Jailed")
            let quotes = json?["quotes"] as? [[String: Any]]
            #expect(quotes?.first?["speaker"] as? String == "Daniel Okafor")
            #expect(try await releaseCount(location) == 0)
        }
    }

    @Test("Bad files exit non-zero, name the file and the problem, and write nothing")
    func badInput() async throws {
        let files: [String: Data] = [
            "empty.txt": Data(),
            "binary.txt": Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0x00, 0x3E, 0x00]),
            "latin1.txt": Data("For Immediate Release\n\nCaf\u{E9} headline\n\nBody text here.".data(using: .isoLatin1)!),
            "no-headline.txt": Data("\n\n   \n".utf8) + Data("this is lower-case chatter, not a release at all, with no headline in it and nothing else to say really, going on and on.".utf8),
        ]
        try await withFiles(files) { folder in
            try await TestDatabase.withFresh { location in
                for name in files.keys.sorted() {
                    // MUT
                    let result = try runDateline(["import", folder.appendingPathComponent(name).path], database: location)

                    // validation
                    #expect(result.status != 0, "\(name) was accepted")
                    #expect(result.errors.contains(name), "the message names the file: \(result.errors)")
                }
                #expect(try await releaseCount(location) == 0)
            }
        }
    }

    @Test("import --json on a text with no headline still prints the extraction, headline null, and exits non-zero")
    func jsonWithoutHeadline() async throws {
        try await withFiles(["no-headline.txt": Data("this is lower-case chatter, not a release at all, with no headline in it and nothing else to say really, going on and on.".utf8)]) { folder in
            try await TestDatabase.withFresh { location in
                let result = try runDateline(["import", "--json", folder.appendingPathComponent("no-headline.txt").path], database: location)
                #expect(result.status != 0)
                let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
                #expect(json != nil, "the extraction is printed")
                #expect(json?["headline"] is NSNull)
                #expect(result.errors.contains("headline"))
            }
        }
    }

    @Test("A batch reports each bad file, imports the good ones, and ends with a summary")
    func batch() async throws {
        let seed = try Data(contentsOf: repositoryRoot.appendingPathComponent("Samples/seed-release.txt"))
        let nasa = try Data(contentsOf: repositoryRoot.appendingPathComponent("Samples/nasa-new-horizons.txt"))
        try await withFiles(["a-seed.txt": seed, "b-empty.txt": Data(), "c-nasa.txt": nasa]) { folder in
            try await TestDatabase.withFresh { location in
                // MUT
                let paths = ["a-seed.txt", "b-empty.txt", "c-nasa.txt"].map { folder.appendingPathComponent($0).path }
                let first = try runDateline(["import", "--publish", "--organization", "Wire Test"] + paths, database: location)
                let again = try runDateline(["import", "--organization", "Wire Test", paths[0]], database: location)

                // validation
                #expect(first.status != 0, "one file failed")
                #expect(first.output.contains("[1/3]"))
                #expect(first.output.contains("Imported 2, skipped 0, failed 1 of 3 files."))
                #expect(first.errors.contains("b-empty.txt"))
                #expect(try await releaseCount(location) == 2)
                #expect(again.status == 0)
                #expect(again.output.contains("skipped, already in the newsroom"))
                #expect(try await releaseCount(location) == 2)
            }
        }
    }

    @Test("A malformed DATELINE_DATABASE_URL stops the command with the expected forms")
    func malformedDatabaseURL() throws {
        let result = try runDateline(["migrate"], database: .postgres(url: "mysql://root@localhost/dateline"))
        #expect(result.status != 0)
        #expect(result.errors.contains("DATELINE_DATABASE_URL"))
        #expect(result.errors.contains("expected a file path"))
    }
}
