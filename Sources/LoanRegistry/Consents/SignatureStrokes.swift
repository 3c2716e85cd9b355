public import Foundation
import Crypto

/// The pen strokes of a tablet signature, kept with the consent as evidence beside the PNG.
///
/// Points are whole numbers so the evidence hashes the same wherever it is read back: a point
/// is `[x, y, t, p]` — `x` and `y` in ten-thousandths of the pad's width and height when signing
/// began (``canvasWidth`` × ``canvasHeight``; the pad redraws them at any size, keeping proportions), `t` in milliseconds since the first point, `p` the pen pressure
/// in thousandths (a mouse reports 500).
public struct SignatureStrokes: Sendable, Equatable, Codable {
    /// The most strokes accepted: beyond it a signature is not a signature.
    public static let maximumStrokes = 200
    /// The most points accepted over all strokes.
    public static let maximumPoints = 20_000

    /// The pad's width in CSS pixels when signing began: the frame the points are measured in.
    public var canvasWidth: Int
    /// The pad's height in CSS pixels when signing began.
    public var canvasHeight: Int
    /// The screen's device pixel ratio, in thousandths (2.0 is 2000).
    public var devicePixelRatioThousandths: Int
    /// How many times the pad was resized or rotated while signing (redrawn from the strokes).
    public var resizes: Int
    /// Each stroke's points, in order.
    public var strokes: [[[Int]]]

    /// Creates the evidence from its fields (checked when a consent is recorded).
    public init(canvasWidth: Int, canvasHeight: Int, devicePixelRatioThousandths: Int, resizes: Int, strokes: [[[Int]]]) {
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        self.devicePixelRatioThousandths = devicePixelRatioThousandths
        self.resizes = resizes
        self.strokes = strokes
    }

    /// The canonical JSON stored and hashed: sorted keys, no spaces.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// SHA-256 of ``canonicalJSON()``, lower-case hex.
    public func sha256() throws -> String {
        SHA256.hash(data: try canonicalJSON()).map { String(format: "%02x", $0) }.joined()
    }

    /// Adds to `validator` what is wrong with the strokes (field prefix `field`).
    func validate(_ validator: inout FieldValidator, field: String) {
        validator.require((1...10_000).contains(canvasWidth), "\(field).canvasWidth", "must be 1 to 10000 pixels")
        validator.require((1...10_000).contains(canvasHeight), "\(field).canvasHeight", "must be 1 to 10000 pixels")
        validator.require((100...10_000).contains(devicePixelRatioThousandths), "\(field).devicePixelRatioThousandths",
                          "must be 100 to 10000 (0.1 to 10)")
        validator.require((0...10_000).contains(resizes), "\(field).resizes", "must be 0 to 10000")
        validator.require(!strokes.isEmpty && strokes.count <= Self.maximumStrokes, "\(field).strokes",
                          "must hold 1 to \(Self.maximumStrokes) strokes")
        let points = strokes.reduce(0) { $0 + $1.count }
        validator.require(points <= Self.maximumPoints, "\(field).strokes", "must hold at most \(Self.maximumPoints) points")
        let wellFormed = strokes.allSatisfy { stroke in
            !stroke.isEmpty && stroke.allSatisfy { point in
                point.count == 4 && (0...10_000).contains(point[0]) && (0...10_000).contains(point[1])
                    && (0...3_600_000).contains(point[2]) && (0...1000).contains(point[3])
            }
        }
        validator.require(wellFormed, "\(field).strokes",
                          "each point must be [x, y, t, p]: x and y 0 to 10000, t 0 to 3600000 ms, p 0 to 1000")
    }
}
