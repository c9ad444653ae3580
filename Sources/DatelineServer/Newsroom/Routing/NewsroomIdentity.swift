import DatelineCore
import Foundation

/// Who a newsroom request comes from: the unexpired session its cookie names, with the user.
/// ``NewsroomSessionMiddleware`` puts it in the request context; ``NewsroomGateMiddleware``
/// decides what it may reach.
struct NewsroomIdentity: Sendable {
    let session: SessionModel

    var user: UserModel { session.user }
    /// The token every form of this session carries (synchronizer token pattern).
    var csrfToken: String { session.csrfToken }
    /// Both factors given (or no second factor owed).
    var isFullySignedIn: Bool { session.secondFactorPassed }
    var isEditor: Bool { user.userRole == .editor || user.userRole == .admin }
    var isAdmin: Bool { user.userRole == .admin }
}
