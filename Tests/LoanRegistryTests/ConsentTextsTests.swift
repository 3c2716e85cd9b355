import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct ConsentTextsTests {
    static let repositoryTexts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ConsentTexts")

    @Test func noReleasedTextInTheRepositoryHasChanged() throws {
        let library = ConsentTextLibrary(directory: Self.repositoryTexts)
        #expect(try library.check() == [])
        #expect(try library.lock().count >= 12)
    }

    @Test(arguments: ["ja", "en"])
    func version1HasEveryCatalogueItemAndCategory(language: String) throws {
        let directory = Self.repositoryTexts.appendingPathComponent("v1/\(language)")
        func keys(_ name: String) throws -> [String] {
            let file = try ConsentTextFile(contents: String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8), name: name)
            #expect(file.language == language)
            return try file.items().map(\.key)
        }
        #expect(try keys("risks.md") == (1...20).map { String(format: "R%02d", $0) })
        #expect(try keys("precautions.md") == (1...19).map { String(format: "P%02d", $0) })
        #expect(Set(try keys("categories.md")) == Set(DeviceCategory.allCases.map(\.rawValue)))
    }

    @Test func aChangedReleasedFileIsReportedAndBlocksRelease() throws {
        let copy = try TemporaryDirectory()
        let target = copy.url.appendingPathComponent("ConsentTexts")
        try FileManager.default.copyItem(at: Self.repositoryTexts, to: target)
        let library = ConsentTextLibrary(directory: target)
        let risks = target.appendingPathComponent("v1/en/risks.md")
        try (String(contentsOf: risks, encoding: .utf8) + "R21: new wording\n").write(to: risks, atomically: true, encoding: .utf8)
        let problems = try library.check()
        #expect(problems.map(\.path) == ["v1/en/risks.md"])
        #expect(problems.first?.message == "released file was changed; put new wording in a new version")
        #expect(throws: RegistryError.self) { try library.release(version: 1) }
    }

    @Test func releasingANewVersionLocksItsFiles() throws {
        let copy = try TemporaryDirectory()
        let target = copy.url.appendingPathComponent("ConsentTexts")
        try FileManager.default.copyItem(at: Self.repositoryTexts, to: target)
        let library = ConsentTextLibrary(directory: target)
        try FileManager.default.createDirectory(at: target.appendingPathComponent("v9/ja"), withIntermediateDirectories: true)
        let draft = target.appendingPathComponent("v9/ja/common.md")
        try "---\ntext: common\nversion: 9\nlanguage: ja\n---\n新しい説明です。\n".write(to: draft, atomically: true, encoding: .utf8)
        #expect(try library.check() == [])  // an unreleased draft is fine
        #expect(try library.release(version: 9) == ["v9/ja/common.md"])
        try "---\ntext: common\nversion: 9\nlanguage: ja\n---\n書き換え\n".write(to: draft, atomically: true, encoding: .utf8)
        #expect(try library.check().map(\.path) == ["v9/ja/common.md"])
    }

    @Test func aHeaderThatDisagreesWithItsPathIsReported() throws {
        let copy = try TemporaryDirectory()
        let target = copy.url.appendingPathComponent("ConsentTexts")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("v3/en"), withIntermediateDirectories: true)
        try "---\ntext: risks\nversion: 2\nlanguage: en\n---\nR01: x\n".write(
            to: target.appendingPathComponent("v3/en/risks.md"), atomically: true, encoding: .utf8)
        #expect(try ConsentTextLibrary(directory: target).check().map(\.message) == ["header says v2/en/risks.md"])
    }
}
