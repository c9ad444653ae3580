import Foundation
import Testing

/// Runs a program with `input` on standard input and returns its exit status and output.
func run(_ arguments: [String], input: Data = Data()) throws -> (status: Int32, output: Data, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Write and read on separate threads so that neither pipe fills up and blocks the other.
    let writer = Thread {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let errorData = LockedData()
    let errorReader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
    errorReader.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return (process.terminationStatus, output, String(decoding: errorData.value, as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}

/// IPTC's schemas, copied into Tests/Fixtures/standards (or DATELINE_STANDARDS_DIR).
let standardsDirectory: URL = {
    if let path = ProcessInfo.processInfo.environment["DATELINE_STANDARDS_DIR"] { return URL(fileURLWithPath: path) }
    return repositoryRoot.appendingPathComponent("Tests/Fixtures/standards")
}()

/// Validates JSON against a JSON Schema (2020-12) with Python's jsonschema.
func validateJSON(_ document: Data, schema: String) throws -> [String] {
    let result = try run(["python3", repositoryRoot.appendingPathComponent("Tests/Tools/check_formats.py").path, "jsonschema", standardsDirectory.appendingPathComponent(schema).path], input: document)
    #expect(result.status == 0, "jsonschema could not run: \(result.errors)")
    let object = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
    return (object?["errors"] as? [String]) ?? ["no result"]
}

/// Validates XML with xmllint: well-formedness, and the schema when one is given.
func validateXML(_ document: Data, schema: String? = nil) throws -> (valid: Bool, messages: String) {
    var arguments = ["xmllint", "--noout", "--nonet"]
    if let schema { arguments += ["--schema", standardsDirectory.appendingPathComponent(schema).path] }
    let result = try run(arguments + ["-"], input: document)
    return (result.status == 0, result.errors)
}

/// Every JSON-LD object in an HTML page, read by Python's HTML parser and JSON decoder.
func extractJSONLD(_ page: String) throws -> [[String: Any]] {
    let result = try run(["python3", repositoryRoot.appendingPathComponent("Tests/Tools/check_formats.py").path, "jsonld"], input: Data(page.utf8))
    #expect(result.status == 0, "\(result.errors)")
    return (try JSONSerialization.jsonObject(with: result.output) as? [[String: Any]]) ?? []
}
