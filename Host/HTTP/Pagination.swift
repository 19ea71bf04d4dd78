/// `page` and `per_page` query arguments, checked.
public struct Pagination: Sendable, Equatable {
    public let page: Int
    public let perPage: Int

    public var offset: Int { (page - 1) * perPage }

    /// Reads `page` (≥ 1, default 1) and `per_page` (1…`maxPerPage`, default `defaultPerPage`);
    /// anything else is a 422 naming the argument.
    public init(_ request: Request, defaultPerPage: Int = 50, maxPerPage: Int = 100) throws(APIError) {
        var errors: [FieldError] = []
        func read(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let text = request.query[name] else { return value }
            guard let number = Int(text), range.contains(number) else {
                errors.append(FieldError(path: "?\(name)", message: "must be an integer from \(range.lowerBound) to \(range.upperBound)"))
                return value
            }
            return number
        }
        page = read("page", default: 1, range: 1...1_000_000)
        perPage = read("per_page", default: defaultPerPage, range: 1...maxPerPage)
        if !errors.isEmpty { throw APIError.validation(errors) }
    }
}

import RenumCore

/// A page of results as every list route answers it.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let page: Int
    public let perPage: Int

    public init(items: [Item], total: Int, pagination: Pagination) {
        self.items = items
        self.total = total
        self.page = pagination.page
        self.perPage = pagination.perPage
    }
}

extension Page: JSONEncodable where Item: JSONEncodable {
    public func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.key("items"); w.array(items) { $0.encode($1) }
            w.field("total", total)
            w.field("page", page)
            w.field("per_page", perPage)
        }
    }
}
