import ReleaseImport

/// Control characters have no meaning in a release but break formats that must carry it:
/// XML 1.0 cannot hold most of them even escaped, so a pasted backspace would otherwise make
/// the feeds disagree with the page. They are removed once, before anything is stored.
enum PlainText {
    /// The text without C0 and C1 control characters (tab and line breaks kept) and without
    /// the non-characters U+FFFE and U+FFFF.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isDropped) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !isDropped($0) })
        return String(scalars)
    }

    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: false
        case 0x0...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }
}

extension ImportedRelease {
    /// The extraction with every text field passed through ``PlainText/clean(_:)``.
    var cleaned: ImportedRelease {
        var copy = self
        copy.headline = headline.map(PlainText.clean)
        copy.subheadline = subheadline.map(PlainText.clean)
        copy.datelineCity = datelineCity.map(PlainText.clean)
        copy.issuer = issuer.map(PlainText.clean)
        copy.body = body.map(PlainText.clean)
        copy.boilerplate = boilerplate.map(PlainText.clean)
        copy.statementURL = statementURL.map(PlainText.clean)
        copy.contacts = contacts.map { contact in
            var contact = contact
            contact.name = contact.name.map(PlainText.clean)
            contact.title = contact.title.map(PlainText.clean)
            contact.organization = contact.organization.map(PlainText.clean)
            contact.email = contact.email.map(PlainText.clean)
            contact.phone = contact.phone.map(PlainText.clean)
            return contact
        }
        return copy
    }
}
