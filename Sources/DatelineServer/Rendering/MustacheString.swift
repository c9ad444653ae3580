import Mustache

/// Text values take swift-mustache's short path: a value that renders itself is escaped at once,
/// while any other goes through casts to a lambda and an optional and `String(describing:)`, a
/// chain of dynamic casts per `{{value}}` of every page. The text is the same either way.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { false }
}
