@testable import DatelineServer
import Foundation
import Testing

/// A real SMTP server (aiosmtpd, Tests/Tools/smtp_server.py) on loopback, storing what it
/// accepts in a folder of its own.
final class SMTPTestServer: @unchecked Sendable {
    let folder: URL
    let port: Int
    private let process: Process

    /// - Parameters:
    ///   - port: a fixed port (to come back on the same one), or nil for a free one.
    ///   - auth: `user:password` to require AUTH.
    ///   - tls: certificate and key files to offer (and require) STARTTLS.
    ///   - authMechanisms: the AUTH mechanisms to offer, such as `LOGIN` (default: PLAIN and LOGIN).
    ///   - pipelining: offer PIPELINING, as Postfix and most servers do (then the client sends
    ///     each message as one exchange).
    ///   - stallAfterData: seconds to wait after each message's final "." before answering.
    init(
        port: Int? = nil, auth: String? = nil, authMechanisms: String? = nil, tls: (certificate: String, key: String)? = nil,
        pipelining: Bool = true, stallAfterData: Double? = nil, folder: URL? = nil
    ) throws {
        self.folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("dateline-smtp-\(UUID().uuidString)")
        var arguments = ["python3", repositoryRoot.appendingPathComponent("Tests/Tools/smtp_server.py").path, "--folder", self.folder.path]
        if let port { arguments += ["--port", String(port)] }
        if let auth { arguments += ["--auth", auth] }
        if let authMechanisms { arguments += ["--auth-mechanisms", authMechanisms] }
        if let tls { arguments += ["--tls", tls.certificate, tls.key] }
        if pipelining { arguments.append("--pipelining") }
        if let stallAfterData { arguments += ["--stall-after-data", String(stallAfterData)] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The server prints "PORT <n>" once it listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let number = Int(text.dropFirst(5)) else {
            process.terminate()
            throw SMTPTestServerError(message: "the test SMTP server did not start (is aiosmtpd installed? scripts/ensure-deps.sh test): '\(text)'")
        }
        self.port = number
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    func configuration(_ url: String? = nil) throws -> SMTPConfiguration {
        var configuration = try SMTPConfiguration(parsing: url ?? self.url, heloName: "wire.example.org")
        configuration.timeoutSeconds = 10
        return configuration
    }

    /// How many messages it has stored.
    var count: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// Every stored message, read by Python's email package.
    func messages() throws -> [ReceivedMail] {
        try readMail(in: folder)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        // Should it ignore SIGTERM, it is killed; the test never hangs on it.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 5, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
    }

    func removeFolder() {
        try? FileManager.default.removeItem(at: folder)
    }

    deinit {
        stop()
    }
}

/// The `.eml` files of a folder (an SMTP test server's, or the development mail folder), read
/// by Python's email package, in file-name order.
func readMail(in folder: URL) throws -> [ReceivedMail] {
    guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
    let result = try run(["python3", repositoryRoot.appendingPathComponent("Tests/Tools/read_mail.py").path, folder.path])
    #expect(result.status == 0, "read_mail.py: \(result.errors)")
    return try JSONDecoder().decode([ReceivedMail].self, from: result.output)
}

struct SMTPTestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One message as Python's email package (policy.default) reads it.
struct ReceivedMail: Decodable {
    var file: String
    /// Envelope recipients, comma-separated.
    var envelopeTo: String
    var from: String
    var to: String
    /// Decoded from RFC 2047.
    var subject: String
    /// As it travelled.
    var rawSubject: String
    var isSevenBit: Bool
    var dateParses: Bool
    var messageID: String
    var listID: String
    var listUnsubscribe: String
    var listUnsubscribePost: String
    var contentType: String
    var text: String
    var html: String
    var defects: [String]

    /// The first link in the plain text that starts with `prefix`.
    func link(startingWith prefix: String) -> String? {
        text.components(separatedBy: .whitespacesAndNewlines).first { $0.hasPrefix(prefix) }
    }
}

/// A free TCP port on loopback, with nothing listening on it.
func freePort() throws -> Int {
    let result = try run(["python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
    guard let port = Int(String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw SMTPTestServerError(message: "no free port")
    }
    return port
}

/// A self-signed certificate for `localhost` and its key, made with openssl, in a temporary folder.
func makeLocalhostCertificate() throws -> (certificate: String, key: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let certificate = folder.appendingPathComponent("localhost.pem").path
    let key = folder.appendingPathComponent("localhost-key.pem").path
    let result = try run([
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", certificate,
    ])
    guard result.status == 0 else { throw SMTPTestServerError(message: "openssl failed: \(result.errors)") }
    return (certificate, key)
}
