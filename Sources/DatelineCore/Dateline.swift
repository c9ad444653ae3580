/// The place line that opens a release's first paragraph, in AP style: the city in capitals,
/// followed by a region or country where the city alone would not be understood
/// ("WASHINGTON —", "BEIRUT, Lebanon —").
public struct Dateline: Hashable, Sendable, Codable {
    /// The city as printed, e.g. "WASHINGTON" or "New York".
    public var city: String
    /// A state, province or country written after the city, if any.
    public var region: String?

    public init(city: String, region: String? = nil) {
        self.city = city
        self.region = region
    }

    /// The dateline as a newswire prints it before the body: city in capitals, then region.
    public var printed: String {
        let city = self.city.uppercased()
        guard let region, !region.isEmpty else { return city }
        return "\(city), \(region)"
    }
}
