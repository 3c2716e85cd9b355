import Foundation
@testable import RegistryServer
import Testing

/// The request body parser: the JSON it accepts and refuses is Foundation's, value for value,
/// and it names keys given twice.
@Suite struct RequestJSONTests {
    private func parse(_ text: String) -> (value: RequestJSON, duplicateKeys: [String])? {
        try? RequestJSON.parse(Array(text.utf8))
    }

    /// `value` as Foundation objects, to compare with what `JSONSerialization` reads.
    private func foundation(_ value: RequestJSON) -> NSObject {
        switch value {
        case .string(let text): text as NSString
        case .number(let number): NSNumber(value: number)
        case .bool(let flag): NSNumber(value: flag)
        case .null: NSNull()
        case .array(let elements): elements.map(foundation) as NSArray
        case .object(let members, _): members.mapValues(foundation) as NSDictionary
        }
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #" {"a" : [1, -2.5, 3e2, 0, -0, 1E-2, true, false, null]} "#, #""text""#, "12", "null",
        #"{"name":"見本 花子","kana":"ミホン","n":{"deep":[{"x":"y"}]}}"#,
        #"{"escapes":"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u3042 \ud83d\ude00"}"#,
        #"{"small":1.5e-300,"neg":-12.75,"int":2147483647}"#,
        "\t\r\n[\n1\n]\n",
    ])
    func acceptsWhatFoundationAcceptsWithTheSameValue(_ text: String) throws {
        let parsed = try #require(parse(text), "refused valid JSON \(text)")
        let expected = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
        #expect(foundation(parsed.value) == expected)
        #expect(parsed.duplicateKeys.isEmpty)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[,1]", #"{"a" 1}"#, #"{a:1}"#, "{'a':1}", "[01]", "[1.]", "[.5]",
        "[+1]", "[1e]", "[1e+]", "[-]", "[0x10]", "[NaN]", "[Infinity]", "tru", "nul", "falsey", #""open"#,
        "\"tab\tinside\"", "\"line\nbreak\"", #""\x""#, #""\u12""#, #""\u12G4""#, #""\ud800""#, #""\ud800\u0041""#,
        #""\udc00""#, "[1] [2]", "{} x", "[1]]", #"{"a":1}}"#,
    ])
    func refusesWhatFoundationRefuses(_ text: String) {
        #expect(parse(text) == nil, "accepted \(text)")
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil,
                "Foundation accepts \(text): the test case is wrong")
    }

    /// Stricter than Foundation where RFC 8259 is: no trailing comma, no number a `Double`
    /// cannot hold (which `Double` would read as infinity).
    @Test(arguments: ["[1,]", #"{"a":1,}"#, #"{"patientNumber":"P-1","name":"x",}"#, "[1e400]", "[-1e400]"])
    func refusesWhatRFC8259Refuses(_ text: String) {
        #expect(parse(text) == nil, "accepted \(text)")
    }

    @Test func readsEachKindOfValueAsItself() throws {
        // (The comparisons with Foundation go through NSNumber, where true and 1 are equal.)
        let parsed = try #require(parse(#"[true,1,"1",null,false,0,-0.5,{"k":[]}]"#))
        #expect(parsed.value == .array([.bool(true), .number(1), .string("1"), .null, .bool(false), .number(0),
                                        .number(-0.5), .object(["k": .array([])], order: ["k"])]))
    }

    @Test func tellsNestingTooDeepFromOtherMistakes() {
        let deep = String(repeating: "[", count: RequestJSON.maximumDepth + 1) + String(repeating: "]", count: RequestJSON.maximumDepth + 1)
        #expect(throws: RequestJSON.Malformed(offset: RequestJSON.maximumDepth, tooDeep: true)) { try RequestJSON.parse(Array(deep.utf8)) }
        #expect(throws: RequestJSON.Malformed(offset: 3, tooDeep: false)) { try RequestJSON.parse(Array("[1,]".utf8)) }
    }

    @Test func namesEveryKeyGivenTwiceByItsPath() throws {
        let text = #"{"decision":"refused","decision":"granted","signer":{"name":"X","n\u0061me":"Y"},"items":[{"k":1},{"k":2,"k":3}]}"#
        let parsed = try #require(parse(text))
        #expect(parsed.duplicateKeys == ["decision", "signer.name", "items[1].k"])
        guard case .object(let members, let order) = parsed.value else { Issue.record("not an object"); return }
        #expect(order == ["decision", "signer", "items"])
        #expect(members["decision"] == .string("granted"))  // the last one, as Foundation keeps
    }

    @Test func nestingIsLimitedWithoutExhaustingTheStack() {
        let allowed = String(repeating: "[", count: RequestJSON.maximumDepth) + String(repeating: "]", count: RequestJSON.maximumDepth)
        #expect(parse(allowed) != nil)
        let deeper = String(repeating: "[", count: RequestJSON.maximumDepth + 1) + String(repeating: "]", count: RequestJSON.maximumDepth + 1)
        #expect(parse(deeper) == nil)
        let attack = String(repeating: #"{"a":["#, count: 200_000)
        #expect(parse(attack) == nil)
    }
}
