import Foundation

/// The authenticated caller of a request: who they are and what they may do.
///
/// Every tenant-owned row is reached through a repository that takes a `Principal`,
/// so a query can never forget whose data it is reading.
public struct Principal: Sendable, Hashable {
    /// The user's id (the JWT `sub`): the tenant key of every row they own.
    public let userID: UUID
    /// True only when the token's `app_metadata.role` is `admin`.
    public let isAdmin: Bool
    /// The token's `email` claim, when present. Informational only.
    public let email: String?

    public init(userID: UUID, isAdmin: Bool, email: String? = nil) {
        self.userID = userID
        self.isAdmin = isAdmin
        self.email = email
    }
}
