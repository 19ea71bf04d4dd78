import RenumHTTP
import RenumStorage

/// How errors of lower layers reach clients and logs.
enum ErrorMapping {
    /// Storage failures a client can act on; the rest stay 500.
    static func apiError(for error: any Error) -> APIError? {
        guard let storage = error as? StorageError else { return nil }
        switch storage.code {
        case .constraint: return APIError.conflict("The change conflicts with existing data.")
        case .busy: return APIError.unavailable("The database is busy; retry shortly.", code: "STORAGE_BUSY")
        case .closed: return APIError.unavailable("The server is shutting down.", code: "SHUTTING_DOWN")
        default: return nil
        }
    }

    /// What the log says of an unexpected error: its type and storage code, never SQL text or values.
    static func logDescription(of error: any Error) -> String {
        if let storage = error as? StorageError { return "StorageError.\(storage.code)" }
        return String(describing: type(of: error))
    }
}
