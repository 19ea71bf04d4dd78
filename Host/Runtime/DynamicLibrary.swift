// The one file that calls dlopen/dlsym/dlerror. Nothing here is public.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CRenumPlugin

/// A dlopen'ed image. There is deliberately no close: dlclose of a Swift image leaves the
/// Swift runtime holding pointers into its conformance records, and the next dynamic cast
/// anywhere in the host crashes (measured, see ARCHITECTURE.md "Measured on this machine").
/// Images are opened with RTLD_NODELETE as well, so even a dlclose by someone else keeps them.
struct DynamicLibrary: @unchecked Sendable {
    // @unchecked: the handle is an immutable token owned by the dynamic linker; dlsym is thread-safe.
    private let handle: UnsafeMutableRawPointer

    /// Why dlopen or dlsym failed: dlerror's text.
    struct Failure: Error { let message: String }

    /// dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE): every symbol resolved up front (a
    /// missing dependency fails here, not mid-call), nothing leaks into the global namespace.
    static func open(_ path: String) throws(Failure) -> DynamicLibrary {
        _ = dlerror() // clear a stale error so the one we read is ours
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw Failure(message: lastError() ?? "dlopen failed")
        }
        return DynamicLibrary(handle: handle)
    }

    /// The plugin entry point, if the image exports RENUM_PLUGIN_ENTRY_SYMBOL.
    func entryPoint() -> renum_plugin_entry_fn? {
        _ = dlerror()
        guard let symbol = dlsym(handle, RENUM_PLUGIN_ENTRY_SYMBOL) else { return nil }
        return unsafeBitCast(symbol, to: renum_plugin_entry_fn.self)
    }

    private static func lastError() -> String? {
        guard let message = dlerror() else { return nil }
        return String(cString: message)
    }
}
