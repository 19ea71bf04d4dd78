/// MurmurHash3 x86 32-bit: the stable hash Unleash uses to bucket users for gradual
/// rollouts. Renum buckets canary users with it so a user keeps their bucket across
/// restarts and hosts.
public enum Murmur3 {
    public static func hash32(_ text: String, seed: UInt32 = 0) -> UInt32 {
        hash32(Array(text.utf8), seed: seed)
    }

    public static func hash32(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        let c1: UInt32 = 0xcc9e_2d51, c2: UInt32 = 0x1b87_3593
        var h = seed
        let blocks = bytes.count / 4
        for block in 0..<blocks {
            let i = block * 4
            var k = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            k &*= c1
            k = (k << 15) | (k >> 17)
            k &*= c2
            h ^= k
            h = (h << 13) | (h >> 19)
            h = h &* 5 &+ 0xe654_6b64
        }
        var k: UInt32 = 0
        let tail = blocks * 4
        switch bytes.count & 3 {
        case 3:
            k ^= UInt32(bytes[tail + 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(bytes[tail + 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(bytes[tail])
            k &*= c1
            k = (k << 15) | (k >> 17)
            k &*= c2
            h ^= k
        default:
            break
        }
        h ^= UInt32(truncatingIfNeeded: bytes.count)
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return h
    }

    /// Unleash's normalised bucket, 1…100: `murmur3("{group}:{id}", seed 0) % 100 + 1`.
    /// A rollout of `p` percent includes the id when the bucket is ≤ p.
    public static func bucket(group: String, id: String) -> Int {
        Int(hash32("\(group):\(id)") % 100) + 1
    }
}
