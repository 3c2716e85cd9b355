import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct DeviceImportTests {
    @Test func aGoodFileRegistersEveryDeviceByModelIdOrName() async throws {
        let test = try await TestRegistry()
        let model = try await test.fixtures.model(name: "Holter H-1")
        let csv = "\u{FEFF}asset_tag,serial_number,model,whereabouts\r\nHOL-1,S1,Holter H-1,\"棚A, 2段目\"\r\nHOL-2,S2,\(model.id),\r\n"
        let result = try await test.registry.ledger.importer.run(csv: csv, dryRun: false, by: .system)
        #expect(result.devices == 2)
        #expect(result.dryRun == false)
        let first = try await test.registry.ledger.device("HOL-1", by: test.fixtureActor)
        #expect(first.whereabouts == "棚A, 2段目")
        #expect(first.modelId == model.id)
        #expect(try await test.registry.ledger.history(of: "HOL-2", by: test.fixtureActor).map(\.event) == ["registered"])
    }

    @Test func everyBadRowIsNamedAndNothingIsWritten() async throws {
        let test = try await TestRegistry()
        _ = try await test.fixtures.model(name: "Holter H-1")
        _ = try await test.fixtures.device(assetTag: "HOL-9")
        let csv = """
            asset_tag,serial_number,model
            HOL-1,S1,Holter H-1
            HOL-1,S2,Holter H-1
            HOL-3,,Holter H-1
            HOL-4,S4,No Such Model
            HOL-9,S9,Holter H-1
            HOL-6,S1,Holter H-1
            HOL-7,S7
            """
        let before = try await test.fixtures.count("devices")
        await #expect {
            try await test.registry.ledger.importer.run(csv: csv, dryRun: false, by: .system)
        } throws: { error in
            guard case RegistryError.importRejected(let problems) = error else { return false }
            let fields = problems.map(\.field)
            return fields == ["line 3, asset_tag", "line 4, serial_number", "line 5, model", "line 6, asset_tag",
                              "line 7, serial_number", "line 8"]
        }
        #expect(try await test.fixtures.count("devices") == before)
    }

    @Test func dryRunChecksButWritesNothing() async throws {
        let test = try await TestRegistry()
        _ = try await test.fixtures.model(name: "M")
        let events = try await test.fixtures.count("audit_events")
        let result = try await test.registry.ledger.importer.run(csv: "asset_tag,serial_number,model\nA-1,S1,M\n", dryRun: true, by: .system)
        #expect(result.devices == 1)
        #expect(try await test.fixtures.count("devices") == 0)
        #expect(try await test.fixtures.count("audit_events") == events)
    }

    @Test func missingAndUnknownColumnsAreRefused() async throws {
        let test = try await TestRegistry()
        await #expect(throws: RegistryError.importRejected([
            FieldError("line 1", "missing column model"), FieldError("line 1", "unknown column colour"),
        ])) {
            try await test.registry.ledger.importer.run(csv: "asset_tag,serial_number,colour\n", dryRun: false, by: .system)
        }
    }

    @Test func csvReaderHandlesQuotesAndLineEnds() throws {
        let records = try CSVReader.records("a,\"b,\"\"c\"\"\",d\r\n\r\n\"multi\nline\",x,\n")
        #expect(records.map(\.line) == [1, 3])
        #expect(records.map(\.cells) == [["a", "b,\"c\"", "d"], ["multi\nline", "x", ""]])
        #expect(throws: CSVReader.SyntaxError(line: 1, message: "a quoted field is not closed")) {
            try CSVReader.records("\"open")
        }
    }
}

extension DeviceImportTests {
    @Test func aShiftJISFileFromExcelIsReadAndNamed() async throws {
        let test = try await TestRegistry()
        _ = try await test.fixtures.model(name: "ホルター心電計 H-1")
        // As Excel in Japan saves it: Shift_JIS (Windows-31J: ① is one of its extensions), CRLF.
        let csv = "asset_tag,serial_number,model,whereabouts\r\nHOL-7,S7,ホルター心電計 H-1,処置室①\r\n"
        let data = try #require(csv.data(using: .shiftJIS))
        #expect(String(validating: Array(data), as: UTF8.self) == nil, "the bytes are not UTF-8")
        let result = try await test.registry.ledger.importer.run(file: data, dryRun: false, by: .system)
        #expect(result.devices == 1 && result.encoding == .shiftJIS)
        #expect(try await test.registry.ledger.device("HOL-7", by: test.fixtureActor).whereabouts == "処置室①")
        // Literal Windows-31J bytes, as Excel writes them: ① (0x87 0x40) and ～ (0x81 0x60, U+FF5E).
        let excel: [UInt8] = Array("asset_tag,serial_number,model,whereabouts\r\nHOL-9,S9,".utf8)
            + (try #require("ホルター心電計 H-1".data(using: .shiftJIS))) + Array(",".utf8) + [0x87, 0x40, 0x81, 0x60] + Array("\r\n".utf8)
        let fromExcel = try await test.registry.ledger.importer.run(file: Data(excel), dryRun: false, by: .system)
        #expect(fromExcel.encoding == .shiftJIS)
        #expect(try await test.registry.ledger.device("HOL-9", by: test.fixtureActor).whereabouts == "①\u{FF5E}")
        let utf8 = try await test.registry.ledger.importer.run(
            file: Data("asset_tag,serial_number,model\r\nHOL-8,S8,ホルター心電計 H-1\r\n".utf8), dryRun: true, by: .system)
        #expect(utf8.encoding == .utf8 && utf8.dryRun)
        await #expect(throws: RegistryError.importRejected([FieldError("file", "is neither UTF-8 nor Shift_JIS text")])) {
            try await test.registry.ledger.importer.run(file: Data([0xFF, 0xFE, 0xFD, 0x80, 0x81]), dryRun: false, by: .system)
        }
    }
}
