import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct SignaturePNGTests {
    private func problem(_ data: Data) -> String? {
        do {
            _ = try SignaturePNG(data: data, field: "png")
            return nil
        } catch RegistryError.validationFailed(let errors) {
            return errors.first?.message
        } catch {
            return "\(error)"
        }
    }

    @Test func aRealSignatureIsAcceptedWithItsSizeAndHash() throws {
        let data = TestPNG.image(width: 600, height: 200)
        let png = try SignaturePNG(base64: data.base64EncodedString(), field: "png")
        #expect(png.width == 600 && png.height == 200)
        #expect(png.data == data)
        #expect(png.sha256 == ContentHash.sha256(data))
        // base64 wrapped at 76 columns, as many tools write it, is the same image
        let wrapped = try SignaturePNG(base64: data.base64EncodedString(options: .lineLength76Characters), field: "png")
        #expect(wrapped.sha256 == png.sha256)
        // the limits themselves are allowed
        #expect(try SignaturePNG(data: TestPNG.claiming(width: 2000, height: 1000), field: "png").width == 2000)
    }

    @Test func everyKindOfBadImageIsRefusedWithAReason() {
        let good = TestPNG.image(width: 20, height: 10)
        #expect(problem(Data("GIF89a".utf8)) == "is not a PNG image")
        #expect(problem(Data()) == "is not a PNG image")
        #expect(problem(good.prefix(8)) == "is a truncated PNG")
        #expect(problem(good.prefix(40)) == "is a truncated PNG")
        #expect(problem(good.dropLast(12)) == "is a truncated PNG", "no IEND")
        #expect(problem(good + Data([0])) == "has data after the end of the PNG")
        #expect(problem(TestPNG.claiming(width: 0, height: 0)) == "must be at least 1×1 pixels")
        #expect(problem(TestPNG.claiming(width: 100_000, height: 1)) == "must be at most 2000×1000 pixels")
        #expect(problem(TestPNG.claiming(width: 2000, height: 1001)) == "must be at most 2000×1000 pixels")
        #expect(problem(TestPNG.image(width: 2000, height: 120)) == "must be at most 200 kB")
        var damaged = good
        damaged[20] ^= 0xFF  // inside IHDR: its checksum no longer matches
        #expect(problem(damaged) == "is a damaged PNG (chunk checksum)")
    }

    @Test func base64GarbageIsNamed() {
        for garbage in ["***", "not base64 at all!", "iVBORw0KGgo=%%%", ""] {
            #expect(throws: RegistryError.validationFailed([FieldError("png", "is not valid base64")])) {
                try SignaturePNG(base64: garbage, field: "png")
            }
        }
        let huge = String(repeating: "A", count: 400_000)
        #expect(throws: RegistryError.validationFailed([FieldError("png", "must be at most 200 kB")])) {
            try SignaturePNG(base64: huge, field: "png")
        }
    }
}
