// swift-tools-version:6.1
import PackageDescription

/// Settings every target of ours compiles with (see STYLE.md).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "loan-registry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LoanRegistry", targets: ["LoanRegistry"]),
        .library(name: "Handouts", targets: ["Handouts"]),
        .library(name: "RegistryServer", targets: ["RegistryServer"]),
        .executable(name: "loan-registry", targets: ["loan-registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Turns Schema/*.sql into Swift source so the binary carries its own migrations.
        .executableTarget(name: "SchemaEmbedder", swiftSettings: strict),
        .plugin(
            name: "EmbedSchemaPlugin",
            capability: .buildTool(),
            dependencies: ["SchemaEmbedder"]
        ),
        .target(
            name: "LoanRegistry",
            dependencies: [
                "CArgon2",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, for the update hook that tracks rows the audit chain covers.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedSchemaPlugin"]
        ),
        // Argon2id password hashing from the system libargon2 (installed by `make deps` with apt).
        .systemLibrary(name: "CArgon2", providers: [.apt(["libargon2-dev"])]),
        // System libraries for PDF handouts (installed by `make deps` with apt).
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "Handouts",
            dependencies: ["LoanRegistry", "CPangoCairo", "CQREncode"],
            swiftSettings: strict
        ),
        .target(
            name: "RegistryServer",
            dependencies: [
                "LoanRegistry",
                "Handouts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The staff pages' templates, style sheet and scripts, compiled into the binary.
            resources: [.embedInCode("Pages/Templates"), .embedInCode("Pages/Static")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "loan-registry",
            dependencies: [
                "LoanRegistry",
                "RegistryServer",
                "Handouts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Temporary directories, registries and the built binary, shared by the test targets.
        .target(
            name: "RegistryTestSupport",
            dependencies: ["LoanRegistry", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/RegistryTestSupport",
            swiftSettings: strict
        ),
        // `make bench`: the group-commit writer and the overdue query at a million loans.
        .executableTarget(
            name: "registry-bench",
            dependencies: ["LoanRegistry", "Handouts", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/RegistryBench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoanRegistryTests",
            dependencies: ["LoanRegistry", "RegistryTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HandoutsTests",
            dependencies: ["Handouts", "LoanRegistry", "RegistryTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RegistryServerTests",
            dependencies: [
                "RegistryServer",
                "LoanRegistry",
                "Handouts",
                "RegistryTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoanRegistryCLITests",
            dependencies: ["LoanRegistry", "RegistryTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
