/// How a name's bytes are compared: ASCII case never matters; for JSON keys `-` and `_`
/// are the same too (`api-key` is `api_key`), for header names they are not.
enum Folding {
    case keyName
    case headerName

    func fold(_ byte: UInt8) -> UInt8 {
        if byte &- UInt8(ascii: "A") < 26 { return byte | 0x20 }
        if self == .keyName && byte == UInt8(ascii: "-") { return UInt8(ascii: "_") }
        return byte
    }

    /// Whether `bytes` from `start` on begin with `word` (already folded).
    func matches(_ bytes: Span<UInt8>, at start: Int, _ word: [UInt8]) -> Bool {
        for offset in word.indices where fold(bytes[start + offset]) != word[offset] { return false }
        return true
    }
}

/// Exact names and fragments, matched on a name's bytes with little work per byte.
///
/// Fragments are compared only where two adjacent bytes pass a 128-bit filter of the
/// fragments' first two bytes, which turns away nearly every position of an ordinary name
/// (`messaging_product` has none). Names are found through a small hash table keyed by
/// length and three bytes, so no byte is hashed.
final class NameMatcher: Sendable {
    struct Match: Equatable {
        /// The category of the exact name, if listed.
        var name: SensitiveKeys.Category?
        /// The highest-ranked category of the fragments the name contains.
        var fragment: SensitiveKeys.Category?
    }

    private let names: [(bytes: [UInt8], category: SensitiveKeys.Category)]
    /// Open addressing over `slot(of:)`: an index into `names`, or -1.
    private let nameSlots: [Int]
    /// `rank` indexes `fragmentCategories`; lower ranks win.
    private let fragments: [(bytes: [UInt8], pair: UInt8, rank: Int)]
    private let fragmentCategories: [SensitiveKeys.Category]
    private let fragmentFilter: BitSet128
    private let shortestFragment: Int
    private let folding: Folding

    private static let slotCount = 128  // a power of two

    /// Earlier lists win: a name in two lists takes the first one's category, and a
    /// fragment from an earlier list outranks one from a later list.
    init(names: [([String], SensitiveKeys.Category)], fragments: [([String], SensitiveKeys.Category)], folding: Folding) {
        let names = names.flatMap { list, category in
            list.map { name in
                let bytes = name.utf8.map(folding.fold)
                return (bytes: bytes, category: category)
            }
        }
        precondition(names.count < Self.slotCount / 2, "the name table stays sparse")
        var slots = [Int](repeating: -1, count: Self.slotCount)
        for (index, name) in names.enumerated() {
            var slot = Self.slot(of: name.bytes)
            while slots[slot] != -1 { slot = (slot + 1) & (Self.slotCount - 1) }
            slots[slot] = index
        }
        self.names = names
        nameSlots = slots
        self.fragments = fragments.enumerated().flatMap { rank, list in
            list.0.map { fragment in
                let bytes = fragment.utf8.map(folding.fold)
                return (bytes: bytes, pair: bytes.count >= 2 ? Self.pair(bytes[0], bytes[1]) : 0, rank: rank)
            }
        }
        precondition(self.fragments.allSatisfy { $0.bytes.count >= 2 && $0.bytes.prefix(2).allSatisfy(TextBytes.isAlphanumeric) },
                     "a fragment is found by its first two bytes, which `pair` folds only if they are letters or digits")
        fragmentCategories = fragments.map(\.1)
        fragmentFilter = BitSet128(self.fragments.map(\.pair))
        shortestFragment = self.fragments.map(\.bytes.count).min() ?? Int.max
        self.folding = folding
    }

    /// What `bytes` match; nil when they are not all ASCII (the caller then falls back to `UnicodeNameMatching`).
    func match(_ bytes: Span<UInt8>) -> Match? {
        var allBits: UInt8 = 0
        for index in bytes.indices { allBits |= bytes[index] }
        guard allBits < 0x80 else { return nil }
        var fragmentRank = Int.max
        // Names shorter than every fragment (`id`, `from`, `type`) skip the search.
        if bytes.count >= shortestFragment {
            for start in 0...(bytes.count - shortestFragment) {
                let pair = Self.pair(bytes[start], bytes[start + 1])
                if fragmentFilter.contains(pair) {
                    fragmentRank = bestFragmentRank(in: bytes, at: start, pair: pair, below: fragmentRank)
                }
            }
        }
        return Match(name: name(bytes), fragment: fragmentRank == Int.max ? nil : fragmentCategories[fragmentRank])
    }

    private func name(_ bytes: Span<UInt8>) -> SensitiveKeys.Category? {
        guard !bytes.isEmpty else { return nil }
        var slot = Self.slot(of: bytes.count, folding.fold(bytes[0]), folding.fold(bytes[bytes.count / 2]),
                             folding.fold(bytes[bytes.count - 1]))
        while nameSlots[slot] != -1 {
            let entry = names[nameSlots[slot]]
            if entry.bytes.count == bytes.count, folding.matches(bytes, at: 0, entry.bytes) {
                return entry.category
            }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        return nil
    }

    /// The best rank below `limit` of the fragments that start at `start` (where the bytes
    /// make `pair`), else `limit`.
    private func bestFragmentRank(in bytes: Span<UInt8>, at start: Int, pair: UInt8, below limit: Int) -> Int {
        var best = limit
        for entry in fragments where entry.pair == pair && entry.rank < best
            && start + entry.bytes.count <= bytes.count && folding.matches(bytes, at: start, entry.bytes) {
            best = entry.rank
        }
        return best
    }

    /// Length, first, middle and last byte spread the few dozen listed names well enough.
    private static func slot(of count: Int, _ first: UInt8, _ middle: UInt8, _ last: UInt8) -> Int {
        (count &* 37 &+ Int(first) &* 11 &+ Int(middle) &* 5 &+ Int(last)) & (slotCount - 1)
    }

    private static func slot(of name: [UInt8]) -> Int {
        slot(of: name.count, name[0], name[name.count / 2], name[name.count - 1])
    }

    /// Seven bits from two bytes, ASCII case ignored (`| 0x20` folds letters; for the
    /// filter it only has to never miss, not to be exact).
    private static func pair(_ first: UInt8, _ second: UInt8) -> UInt8 { ((first | 0x20) &* 31 &+ (second | 0x20)) & 127 }
}

/// A set of numbers below 128 in two words: membership without touching memory.
struct BitSet128: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ members: [UInt8]) {
        for member in members where member < 128 {
            if member < 64 { low |= 1 << UInt64(member) } else { high |= 1 << UInt64(member - 64) }
        }
    }

    func contains(_ member: UInt8) -> Bool {
        member < 64 ? low & 1 << UInt64(member) != 0 : member < 128 && high & 1 << UInt64(member - 64) != 0
    }
}
