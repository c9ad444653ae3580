import Mustache

/// One choice of a `<select>` or a filter: its value, its label, whether it is chosen.
struct FormOption {
    var value: String
    var label: String
    var selected: Bool
}

extension FormOption: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}
