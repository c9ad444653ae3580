import DatelineCore
import FluentKit
import Foundation

/// Who may touch which release in the newsroom: members only their organizations' releases,
/// editors and admins every release. A release someone may not touch is reported as missing,
/// so that ids cannot be probed.
struct NewsroomAccess {
    let user: UserModel
    let database: any Database

    var isEditor: Bool { user.userRole == .editor || user.userRole == .admin }

    /// The organizations this user may write for.
    func organizations() async throws -> [OrganizationModel] {
        if isEditor { return try await OrganizationModel.query(on: database).sort(\.$name).all() }
        return try await user.$organizations.get(on: database).sorted { $0.name < $1.name }
    }

    /// The release, when this user may see it; `nil` otherwise (and when it does not exist).
    func release(_ id: String) async throws -> ReleaseModel? {
        guard ReleaseID(id) != nil, let release = try await ReleaseModel.query(on: database)
            .filter(\.$id == id)
            .with(\.$organization).with(\.$contacts).with(\.$topics).with(\.$versions)
            .first()
        else { return nil }
        if isEditor { return release }
        let mine = try await organizations().compactMap(\.id)
        return mine.contains(release.$organization.id) ? release : nil
    }
}
