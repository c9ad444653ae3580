import DatelineCore
import FluentKit
import Foundation

/// A topic in the `topics` table.
final class TopicModel: Model, @unchecked Sendable {
    static let schema = "topics"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String

    init() {}

    init(name: String, slug: Slug) {
        self.name = name
        self.slug = slug.rawValue
    }

    var topic: Topic {
        Topic(name: name, slug: Slug(validating: slug) ?? Slug(making: name) ?? Slug(making: "topic")!)
    }
}
