import RenumManifest

/// Ranks agents for `capability=` and `q=`: an exact capability name first, then words
/// found in names, capability names and descriptions.
enum AgentSearch {
    static func score(_ manifest: PluginManifest, capability: String?, query: String?) -> Int? {
        var score = 0
        let names = manifest.capabilities.map { $0.name.lowercased() }
        if let capability {
            guard names.contains(capability.lowercased()) else { return nil }
            score += 1000
        }
        guard let query, !query.trimmingCharacters(in: .whitespaces).isEmpty else { return score }
        let words = query.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "-" && $0 != "." })
            .map(String.init)
        if names.contains(query.lowercased()) { score += 500 }
        let agentName = (manifest.name + " " + manifest.agentID).lowercased()
        let descriptions = ([manifest.description] + manifest.capabilities.map(\.description)).joined(separator: " ").lowercased()
        var matched = 0
        for word in words {
            var hit = false
            if agentName.contains(word) { score += 20; hit = true }
            if names.contains(where: { $0.contains(word) }) { score += 15; hit = true }
            if descriptions.contains(word) { score += 5; hit = true }
            if hit { matched += 1 }
        }
        return matched == 0 ? nil : score
    }
}
