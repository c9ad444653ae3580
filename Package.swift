// swift-tools-version: 6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Dateline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dateline", targets: ["dateline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // Domain values and rules: no web framework, no database.
        .target(name: "DatelineCore", swiftSettings: swiftSettings),
        // libxml2 from Debian's libxml2-dev, for the importer's HTML parser.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Raw text or HTML of a release as found on the web -> ImportedRelease.
        .target(name: "ReleaseImport", dependencies: ["CLibXML2"], swiftSettings: swiftSettings),
        // Pure encoders (Atom, ...) fed by DatelineCore values.
        .target(name: "Syndication", dependencies: ["DatelineCore"], swiftSettings: swiftSettings),
        // cmark-gfm from Debian's libcmark-gfm-dev.
        .systemLibrary(
            name: "CMarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libqrencode from Debian's libqrencode-dev, for the two-factor enrolment's QR code.
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // libvips from Debian's libvips-dev, for the media's renditions; VipsShim wraps the
        // variadic calls Swift cannot make.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .target(name: "VipsShim", dependencies: ["CVips"]),
        .target(
            name: "DatelineServer",
            dependencies: [
                "DatelineCore", "ReleaseImport", "Syndication", "CMarkGFM", "CQREncode", "CVips", "VipsShim",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "Logging", package: "swift-log"),
                // gzip for the page cache's compressed copies.
                .product(name: "CompressNIO", package: "compress-nio"),
                // multipart/form-data, for the newsroom's media uploads.
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "dateline",
            dependencies: [
                "DatelineServer", "ReleaseImport", "DatelineCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            // gperftools' tcmalloc (Debian's libtcmalloc-minimal4) in place of glibc's malloc: the
            // importer and the server allocate many small, short-lived objects, and glibc's
            // allocator spent about a twentieth of an import (BENCHMARKS.md, "Allocator").
            // Named by its file because Debian ships the unversioned link only in
            // libgoogle-perftools-dev, which pulls in much more.
            linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libtcmalloc_minimal.so.4"], .when(platforms: [.linux]))]
        ),
        .testTarget(name: "DatelineCoreTests", dependencies: ["DatelineCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ReleaseImportTests", dependencies: ["ReleaseImport"], swiftSettings: swiftSettings),
        .testTarget(name: "SyndicationTests", dependencies: ["Syndication"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DatelineServerTests",
            dependencies: [
                "DatelineServer", "DatelineCore", "ReleaseImport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
