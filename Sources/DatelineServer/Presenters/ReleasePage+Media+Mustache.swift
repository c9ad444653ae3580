import Mustache

// Keys of the release page's media for the templates, without reflection (see PageLayout+Mustache.swift).

extension PictureView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "alt": alt
        case "caption": caption
        case "credit": credit
        case "hasFigcaption": hasFigcaption
        case "src": src
        case "jpegSrcset": jpegSrcset
        case "webpSrcset": webpSrcset
        case "hasWebp": hasWebp
        case "sizes": sizes
        case "width": width
        case "height": height
        default: nil
        }
    }
}

extension DocumentLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "url": url
        case "fileName": fileName
        case "type": type
        case "size": size
        default: nil
        }
    }
}

extension ThumbnailView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "alt": alt
        case "src": src
        case "webpSrc": webpSrc
        case "width": width
        case "height": height
        default: nil
        }
    }
}
