@testable import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Slow clients are cut off: a real server on loopback and a raw socket that sends half a request.
@Suite("Slow clients", .timeLimit(.minutes(1)))
struct SlowClientTests {
    @Test("DATELINE_IDLE_TIMEOUT sets the timeout; a value out of range is refused with the variable's name")
    func idleTimeoutSetting() throws {
        #expect(try Settings.load(environment: [:], dotEnvFile: nil).connectionIdleTimeout == 30)
        #expect(try Settings.load(environment: ["DATELINE_IDLE_TIMEOUT": "5"], dotEnvFile: nil).connectionIdleTimeout == 5)
        for bad in ["0", "soon", "86400"] {
            #expect(throws: SettingsError.self) { try Settings.load(environment: ["DATELINE_IDLE_TIMEOUT": bad], dotEnvFile: nil) }
            do {
                _ = try Settings.load(environment: ["DATELINE_IDLE_TIMEOUT": bad], dotEnvFile: nil)
            } catch {
                #expect(error.description.contains("DATELINE_IDLE_TIMEOUT"))
            }
        }
    }

    @Test("A client that sends half a request head, or stops in the middle of a body, is disconnected after the idle timeout; a trickled body four timeouts after its head")
    func slowClientsAreCutOff() async throws {
        try await TestDatabase.withFresh { location in
            var settings = testSettings(location)
            settings.connectionIdleTimeout = 1
            let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                // Half a head: no blank line ever comes.
                let head = try RawConnection(port: port)
                try head.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
                let headClosed = head.waitForClose(within: 6)
                #expect(headClosed.closed, "the server closes a connection whose head never ends")
                #expect(headClosed.seconds >= 0.5 && headClosed.seconds < 5, "closed after about the idle timeout, not at once: \(headClosed.seconds) s")
                head.close()
                // Trickling the head a byte at a time does not keep the connection open either:
                // only a finished head counts as activity.
                let trickle = try RawConnection(port: port)
                let started = Date()
                var closedWhileTrickling = false
                for byte in "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
                    guard (try? trickle.send(String(UnicodeScalar(byte)))) != nil, !trickle.isClosed(after: 0.25) else {
                        closedWhileTrickling = true
                        break
                    }
                    if Date().timeIntervalSince(started) > 8 { break }
                }
                #expect(closedWhileTrickling, "a head trickled byte by byte is cut off too")
                trickle.close()
                // A body that stops half way.
                let body = try RawConnection(port: port)
                try body.send("POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=a")
                let bodyClosed = body.waitForClose(within: 6)
                #expect(bodyClosed.closed, "the server closes a connection whose body stalls")
                body.close()
                // A body trickled a byte at a time is never idle; it is cut off four idle
                // timeouts after its head all the same (RequestBodyDeadlineHandler).
                let slowBody = try RawConnection(port: port)
                let bodyStarted = Date()
                try slowBody.send("POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
                var slowBodyClosed = false
                while Date().timeIntervalSince(bodyStarted) < 12 {
                    guard (try? slowBody.send("a")) != nil, !slowBody.isClosed(after: 0.4) else {
                        slowBodyClosed = true
                        break
                    }
                }
                let slowBodySeconds = Date().timeIntervalSince(bodyStarted)
                #expect(slowBodyClosed, "a body trickled byte by byte is cut off")
                #expect(slowBodySeconds >= 3 && slowBodySeconds < 8, "at about four idle timeouts: \(slowBodySeconds) s")
                slowBody.close()
                // An ordinary request on a fresh connection still works. (The test client's own
                // connection, idle all this while, has been closed by the same timeout.)
                let normal = try RawConnection(port: port)
                try normal.send("GET /css/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                let answer = normal.readUntilClosed(within: 5)
                #expect(answer.hasPrefix("HTTP/1.1 200 OK"), "\(answer.prefix(200))")
                normal.close()
            }
        }
    }
}

/// A plain TCP connection to the server on loopback, for sending a request byte by byte.
final class RawConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawConnectionError.socket }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Glibc.close(socket)
            throw RawConnectionError.connect
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawConnectionError.send }
    }

    /// Whether the peer has closed the connection (a read returns end of file, or the connection
    /// was reset) within `seconds`.
    func isClosed(after seconds: TimeInterval) -> Bool {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
            // A response (for example a 400) may come before the close: keep reading.
            var again = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&again, 1, Int32(seconds * 1000)) > 0 else { return false }
        }
    }

    /// Everything the peer sends until it closes the connection or `limit` seconds pass.
    func readUntilClosed(within limit: TimeInterval) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { break }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Waits up to `limit` seconds for the peer to close; says whether it did and after how long.
    func waitForClose(within limit: TimeInterval) -> (closed: Bool, seconds: TimeInterval) {
        let start = Date()
        let closed = isClosed(after: limit)
        return (closed, Date().timeIntervalSince(start))
    }

    func close() { Glibc.close(socket) }
}

enum RawConnectionError: Error {
    case socket, connect, send
}
