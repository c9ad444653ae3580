import DatelineCore
import FluentKit
import Foundation
import SQLKit

/// Attaching photos and documents to releases (and logos to organizations), and changing them:
/// every upload is checked by its content, processed into renditions, and stored with them in
/// one transaction, or refused with a ``MediaError`` and nothing stored.
public struct MediaStore: Sendable {
    let hub: DatabaseHub
    let settings: Settings
    let clock: @Sendable () -> Date
    /// The statuses a release may have when its attachments change, checked again inside each
    /// change's transaction (an editor may approve while a photo is being processed): the
    /// newsroom's editable ones; `dateline attach` allows any but retracted.
    var editableStatuses: Set<ReleaseStatus> = [.draft, .returned, .submitted]

    public init(hub: DatabaseHub, settings: Settings, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.hub = hub
        self.settings = settings
        self.clock = clock
    }

    /// A file as uploaded, with what the writer typed about it.
    public struct Upload: Sendable {
        public var fileName: String
        public var data: Data
        public var alt: String?
        public var caption: String?
        public var credit: String?
        public var isLead = false

        public init(fileName: String, data: Data, alt: String? = nil, caption: String? = nil, credit: String? = nil, isLead: Bool = false) {
            self.fileName = fileName
            self.data = data
            self.alt = alt
            self.caption = caption
            self.credit = credit
            self.isLead = isLead
        }
    }

    /// Attaches `upload` to the release with this slug or id (any status but retracted), for
    /// `dateline attach`.
    /// - Throws: ``ReleaseChangeError/notFound(_:)``, or ``MediaError`` with nothing stored.
    @discardableResult
    public func attach(_ upload: Upload, toReleaseNamed reference: String) async throws -> ReleaseMedia {
        let release = try await ReleaseCorrections.find(reference, on: hub.database)
        var store = self
        store.editableStatuses = Set(ReleaseStatus.allCases).subtracting([.retracted])
        return try await store.attach(upload, toRelease: try release.requireID())
    }

    /// Media of a release (or the logo of an organization) in the writer's order, renditions included.
    static func media(ofRelease releaseID: String, on database: any Database) async throws -> [ReleaseMedia] {
        try await MediaModel.query(on: database).filter(\.$release.$id == releaseID)
            .sort(\.$position).with(\.$renditions).all().map(\.media)
    }

    static func logo(of organizationID: UUID, on database: any Database) async throws -> ReleaseMedia? {
        try await MediaModel.query(on: database).filter(\.$organization.$id == organizationID)
            .sort(\.$createdAt, .descending).with(\.$renditions).first()?.media
    }

    /// Images of the release without alt text.
    static func imagesWithoutAlt(ofRelease releaseID: String, on database: any Database) async throws -> Int {
        try await MediaModel.query(on: database).filter(\.$release.$id == releaseID)
            .filter(\.$kind == ReleaseMedia.Kind.image.rawValue).filter(\.$alt == "").count()
    }

    /// Checks, processes and stores `upload` as the release's last attachment (its lead image
    /// when `isLead`). Caption and credit left empty are taken from the file's own metadata.
    /// - Throws: ``MediaError`` for a file refused, with nothing stored.
    @discardableResult
    func attach(_ upload: Upload, toRelease releaseID: String) async throws -> ReleaseMedia {
        try await store(upload, owner: .release(releaseID))
    }

    /// Sets an organization's logo (an image), replacing the one before.
    @discardableResult
    func setLogo(_ upload: Upload, of organizationID: UUID) async throws -> ReleaseMedia {
        try await store(upload, owner: .organization(organizationID))
    }

    enum Owner {
        case release(String)
        case organization(UUID)
    }

    private func store(_ upload: Upload, owner: Owner) async throws -> ReleaseMedia {
        let format = try Self.check(upload, limit: settings.mediaMaxMegabytes * 1_048_576)
        let alt = PlainText.clean(upload.alt ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard alt.count <= 1000 else { throw MediaError.altTooLong }
        if case .organization = owner, !format.isImage { throw MediaError.unknownFormat(fileName: upload.fileName) }
        var metadata = ImageMetadata(caption: upload.caption, credit: upload.credit)
        var width: Int?, height: Int?
        var outputs: [(name: String, mediaType: String, width: Int?, height: Int?, bytes: Data)]
        if format.isImage {
            let inspection = try await ImageProcessor.inspect(upload.data, fileName: upload.fileName)
            // What the writer typed wins; what the file says fills the rest.
            metadata = ImageMetadata(caption: metadata.caption ?? inspection.metadata.caption, credit: metadata.credit ?? inspection.metadata.credit, copyright: inspection.metadata.copyright)
            width = inspection.width
            height = inspection.height
            outputs = try await ImageProcessor.renditions(of: upload.data, fileName: upload.fileName, metadata: metadata)
                .map { ($0.name, $0.mediaType, $0.width, $0.height, $0.bytes) }
        } else {
            switch try await PDFInspector.inspect(upload.data) {
            case .clean: break
            case .active: throw MediaError.pdfWithScript(fileName: upload.fileName)
            case .unreadable: throw MediaError.pdfUnreadable(fileName: upload.fileName)
            }
            outputs = [(MediaRendition.original, format.mediaType, nil, nil, upload.data)]
        }
        let media = MediaModel()
        media.id = MediaID().rawValue
        media.kind = (format.isImage ? ReleaseMedia.Kind.image : .document).rawValue
        media.alt = alt
        media.caption = metadata.caption
        media.credit = metadata.credit
        media.copyright = metadata.copyright
        media.fileName = String(Self.baseName(upload.fileName).prefix(200))
        media.mediaType = format.mediaType
        media.byteSize = upload.data.count
        media.width = width
        media.height = height
        media.createdAt = clock()
        media.isLead = upload.isLead && format.isImage
        let now = clock()
        let renditions = outputs
        let statuses = editableStatuses
        try await hub.write { database in
            switch owner {
            case .release(let id):
                try await Self.requireStatus(of: id, in: statuses, on: database)
                media.$release.id = id
                let last = try await MediaModel.query(on: database).filter(\.$release.$id == id).sort(\.$position, .descending).first()
                media.position = (last?.position ?? -1) + 1
                if media.isLead {
                    try await MediaModel.query(on: database).filter(\.$release.$id == id).set(\.$isLead, to: false).update()
                }
            case .organization(let id):
                media.$organization.id = id
                media.position = 0
                try await MediaModel.query(on: database).filter(\.$organization.$id == id).delete()
            }
            try await media.create(on: database)
            for output in renditions {
                let rendition = MediaRenditionModel()
                rendition.id = MediaID().rawValue
                rendition.$media.id = try media.requireID()
                rendition.name = output.name
                rendition.mediaType = output.mediaType
                rendition.width = output.width
                rendition.height = output.height
                rendition.byteSize = output.bytes.count
                try await rendition.create(on: database)
                try await MediaBlobModel(renditionID: try rendition.requireID(), bytes: output.bytes).create(on: database)
            }
            try await Self.changed(owner, at: now, on: database)
        }
        return try await MediaModel.query(on: hub.database).filter(\.$id == media.requireID()).with(\.$renditions).first()!.media
    }

    /// Checks what a file is by its content: size, format, and that its name agrees.
    /// - Returns: the format.
    /// - Throws: ``MediaError``.
    static func check(_ upload: Upload, limit: Int) throws -> MediaFormat {
        guard !upload.data.isEmpty else { throw MediaError.empty }
        guard upload.data.count <= limit else { throw MediaError.tooLarge(bytes: upload.data.count, limit: limit) }
        guard let format = MediaFormat.sniff(upload.data) else {
            if looksLikeSVG(upload.data) { throw MediaError.svg(fileName: upload.fileName) }
            throw MediaError.unknownFormat(fileName: upload.fileName)
        }
        if let ext = MediaFormat.nameExtension(upload.fileName), !format.extensions.contains(ext) {
            throw MediaError.nameDisagrees(fileName: upload.fileName, actual: format)
        }
        return format
    }

    /// An SVG (or XML holding one), whatever its name says.
    static func looksLikeSVG(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(4096), as: UTF8.self).lowercased()
        return head.contains("<svg")
    }

    // MARK: Changes to attachments

    /// Changes the text of one attachment of a release.
    func describe(_ mediaID: String, ofRelease releaseID: String, alt: String, caption: String?, credit: String?) async throws {
        let alt = PlainText.clean(alt).trimmingCharacters(in: .whitespacesAndNewlines)
        guard alt.count <= 1000 else { throw MediaError.altTooLong }
        @Sendable func clean(_ text: String?) -> String? {
            let cleaned = text.map { PlainText.clean($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            return cleaned?.isEmpty == false ? String(cleaned!.prefix(1000)) : nil
        }
        let now = clock()
        let statuses = editableStatuses
        try await hub.write { database in
            try await Self.requireStatus(of: releaseID, in: statuses, on: database)
            guard let media = try await MediaModel.query(on: database).filter(\.$id == mediaID).filter(\.$release.$id == releaseID).first() else { throw MediaError.notFound }
            media.alt = alt
            media.caption = clean(caption)
            media.credit = clean(credit)
            try await media.save(on: database)
            try await Self.changed(.release(releaseID), at: now, on: database)
        }
    }

    /// Moves an attachment one place earlier (`by` -1) or later (+1) in the release's order.
    func move(_ mediaID: String, ofRelease releaseID: String, by step: Int) async throws {
        let now = clock()
        let statuses = editableStatuses
        try await hub.write { database in
            try await Self.requireStatus(of: releaseID, in: statuses, on: database)
            var all = try await MediaModel.query(on: database).filter(\.$release.$id == releaseID).sort(\.$position).all()
            guard let index = all.firstIndex(where: { $0.id == mediaID }) else { throw MediaError.notFound }
            let target = min(max(index + step, 0), all.count - 1)
            all.swapAt(index, target)
            for (position, media) in all.enumerated() where media.position != position {
                media.position = position
                try await media.save(on: database)
            }
            try await Self.changed(.release(releaseID), at: now, on: database)
        }
    }

    /// Makes an image the release's lead image (and no other), or none when `mediaID` is nil.
    func setLead(_ mediaID: String?, ofRelease releaseID: String) async throws {
        let now = clock()
        let statuses = editableStatuses
        try await hub.write { database in
            try await Self.requireStatus(of: releaseID, in: statuses, on: database)
            if let mediaID {
                guard let media = try await MediaModel.query(on: database).filter(\.$id == mediaID).filter(\.$release.$id == releaseID).first(),
                      media.kind == ReleaseMedia.Kind.image.rawValue else { throw MediaError.notFound }
            }
            try await MediaModel.query(on: database).filter(\.$release.$id == releaseID).set(\.$isLead, to: false).update()
            if let mediaID {
                try await MediaModel.query(on: database).filter(\.$id == mediaID).set(\.$isLead, to: true).update()
            }
            try await Self.changed(.release(releaseID), at: now, on: database)
        }
    }

    /// Removes an attachment, its renditions and their bytes.
    func remove(_ mediaID: String, ofRelease releaseID: String) async throws {
        let now = clock()
        let statuses = editableStatuses
        try await hub.write { database in
            try await Self.requireStatus(of: releaseID, in: statuses, on: database)
            guard try await MediaModel.query(on: database).filter(\.$id == mediaID).filter(\.$release.$id == releaseID).count() == 1 else { throw MediaError.notFound }
            try await Self.deleteMedia([mediaID], on: database)
            try await Self.changed(.release(releaseID), at: now, on: database)
        }
    }

    /// Throws ``MediaError/notEditable(status:)`` unless the release (read on the change's own
    /// transaction) has one of `statuses`.
    static func requireStatus(of releaseID: String, in statuses: Set<ReleaseStatus>, on database: any Database) async throws {
        guard let release = try await ReleaseModel.find(releaseID, on: database) else { throw MediaError.notFound }
        guard statuses.contains(release.releaseStatus) else { throw MediaError.notEditable(status: release.status) }
    }

    /// Deletes media rows with their renditions and bytes (explicitly: SQLite's cascade needs
    /// foreign keys on, and this does not rely on it).
    static func deleteMedia(_ ids: [String], on database: any Database) async throws {
        guard !ids.isEmpty else { return }
        let renditions = try await MediaRenditionModel.query(on: database).filter(\.$media.$id ~~ ids).all().compactMap(\.id)
        if !renditions.isEmpty { try await MediaBlobModel.query(on: database).filter(\.$id ~~ renditions).delete() }
        try await MediaRenditionModel.query(on: database).filter(\.$media.$id ~~ ids).delete()
        try await MediaModel.query(on: database).filter(\.$id ~~ ids).delete()
    }

    /// After a change: the release's pages (or every page, for a logo) leave the page cache,
    /// and a public release counts as changed for feeds.
    private static func changed(_ owner: Owner, at now: Date, on database: any Database) async throws {
        switch owner {
        case .organization:
            try await PageCacheInvalidation.record([.everything], on: database)
        case .release(let id):
            guard let release = try await ReleaseModel.find(id, on: database) else { return }
            if release.releaseStatus.isPubliclyReadable {
                release.updatedAt = now
                try await release.save(on: database)
                try await PageCacheInvalidation.record([.release(release.slug), .listings], on: database)
            }
        }
    }

    /// The last path component of an uploaded name, as browsers may send a whole path.
    static func baseName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        let cleaned = PlainText.clean(last).trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.isEmpty ? "file" : cleaned
    }
}
