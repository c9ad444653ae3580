import CQREncode
import Foundation

/// A QR code (ISO/IEC 18004) made by libqrencode, drawn as an inline SVG: how an authenticator
/// app reads a two-factor key from the enrolment page, with no image request and no third party.
enum QRCode {
    /// The modules of `text`'s QR code (byte mode, error correction level M, the smallest version
    /// that holds it): `modules[row][column]`, true for dark. Nil when libqrencode cannot encode
    /// it (empty, or longer than a QR code holds).
    static func modules(_ text: String) -> [[Bool]]? {
        guard !text.isEmpty, let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        // libqrencode's byte per module: bit 0 is the module's colour (1 dark).
        return (0..<width).map { row in (0..<width).map { column in data[row * width + column] & 1 == 1 } }
    }

    /// `text`'s QR code as an SVG element: one path of unit squares in a view box with the
    /// standard four-module quiet zone, scaled by CSS; `label` becomes its accessible name.
    static func svg(_ text: String, label: String) -> String? {
        guard let modules = modules(text) else { return nil }
        let size = modules.count + 8
        var path = ""
        for (row, line) in modules.enumerated() {
            for (column, dark) in line.enumerated() where dark {
                path += "M\(column + 4) \(row + 4)h1v1h-1z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size * 5)" height="\(size * 5)" role="img" aria-label="\(HTMLEscaping.escaped(label))" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
