/// A `LIKE … ESCAPE '\'` pattern that finds `text` anywhere, case aside when the column is
/// lowered too: the text lowered, its `\`, `%` and `_` escaped so they match themselves.
enum LikePattern {
    static func contains(_ text: String) -> String {
        let escaped = text.lowercased()
            .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return "%" + escaped + "%"
    }
}
