// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "forge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "forge", targets: ["forge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The executable is one file; everything it does lives in ForgeCLI so tests can import it.
        .executableTarget(name: "forge", dependencies: ["ForgeCLI"]),
        .target(
            name: "ForgeCLI",
            dependencies: [
                "ForgePipeline", "ForgePrompts", "ForgeLLM", "ForgeGit", "ForgeSandbox", "ForgeStore", "ForgeCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "ForgePipeline",
            dependencies: [
                "ForgePrompts", "ForgeLLM", "ForgeGit", "ForgeSandbox", "ForgeStore", "ForgeCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ForgePrompts",
            dependencies: ["ForgeCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // Leaf modules: LLM, Git, Sandbox, Store never import each other.
        .target(
            name: "ForgeLLM",
            dependencies: [
                "ForgeCore", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .target(name: "ForgeGit", dependencies: ["ForgeCore", "CLibGit2"]),
        .target(
            name: "ForgeSandbox",
            dependencies: [
                "ForgeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(name: "ForgeStore", dependencies: ["ForgeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "ForgeCore"),
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // Only ForgeLLM imports CCurl: it streams HTTP without URLSession's busy-waiting on Linux.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Shared by the test targets that drive whole runs: the git CLI and a dirty temp repository.
        .target(name: "ForgeTestSupport", path: "Tests/ForgeTestSupport"),
        .testTarget(name: "ForgeCoreTests", dependencies: ["ForgeCore"]),
        .testTarget(name: "ForgeGitTests", dependencies: ["ForgeGit", "ForgeCore"]),
        .testTarget(name: "ForgeSandboxTests", dependencies: ["ForgeSandbox", "ForgeCore"]),
        .testTarget(name: "ForgeStoreTests", dependencies: ["ForgeStore", "ForgeCore"]),
        .testTarget(
            name: "ForgeLLMTests",
            dependencies: ["ForgeLLM", "ForgeCore", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .testTarget(name: "ForgePromptsTests", dependencies: ["ForgePrompts", "ForgeCore"]),
        .testTarget(
            name: "ForgePipelineTests",
            dependencies: ["ForgePipeline", "ForgePrompts", "ForgeLLM", "ForgeGit", "ForgeSandbox", "ForgeStore", "ForgeCore", "ForgeTestSupport"]
        ),
        .testTarget(name: "ForgeCLITests", dependencies: ["ForgeCLI", "forge", "ForgeCore", "ForgeTestSupport"]),
    ]
)

// Strictness once for every target (as swift-log does): Swift 6 mode plus the upcoming features
// that catch accidental public imports and implicit existentials.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
