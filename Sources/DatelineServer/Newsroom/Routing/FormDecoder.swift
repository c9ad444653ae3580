import Foundation
import Hummingbird
import MultipartKit

/// Reads a form body into a `Decodable`: `multipart/form-data` (RFC 7578) through MultipartKit's
/// `FormDataDecoder`, anything else as `application/x-www-form-urlencoded` through Hummingbird's
/// `URLEncodedFormDecoder`. At most the context's `maxUploadSize` bytes are read.
public struct FormDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let boundary = Self.boundary(request.headers[.contentType]) else {
            return try await URLEncodedFormDecoder().decode(type, from: request, context: context)
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try FormDataDecoder().decode(type, from: buffer, boundary: boundary)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw HTTPError(.badRequest, message: "the upload is not a well-formed multipart form")
        }
    }

    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}

/// An uploaded file's part of a multipart form: its name as the browser sent it, and its bytes.
struct UploadedFile: Decodable, MultipartPartConvertible, Sendable {
    var fileName: String
    var data: Data

    init?(multipart part: MultipartPart) {
        fileName = Self.fileName(part.headers.first(name: "Content-Disposition") ?? "") ?? "file"
        data = Data(part.body.readableBytesView)
    }

    /// Uploads are only read.
    var multipart: MultipartPart? { nil }

    /// Through MultipartKit's single-value container, which makes it from the part. Decoded
    /// through ``Part`` rather than itself: any other decoder (a urlencoded form naming the
    /// field) would call this initializer again without end; ``Part`` refuses instead.
    init(from decoder: any Decoder) throws {
        guard let part = try decoder.singleValueContainer().decode(Part.self).file else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a file is sent as a part of a multipart form"))
        }
        self = part
    }

    /// The file as MultipartKit makes it from a part; made by any other decoder, it holds none.
    private struct Part: Decodable, MultipartPartConvertible {
        var file: UploadedFile?
        init?(multipart part: MultipartPart) { file = UploadedFile(multipart: part) }
        init(from decoder: any Decoder) throws { file = nil }
        var multipart: MultipartPart? { nil }
    }

    /// The `filename` parameter of a `Content-Disposition` header (RFC 7578 §4.2), unquoted.
    static func fileName(_ disposition: String) -> String? {
        guard let range = disposition.range(of: "filename=", options: .caseInsensitive) else { return nil }
        var value = disposition[range.upperBound...]
        if value.hasPrefix("\"") {
            value = value.dropFirst()
            guard let end = value.firstIndex(of: "\"") else { return String(value) }
            return String(value[..<end])
        }
        return value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
