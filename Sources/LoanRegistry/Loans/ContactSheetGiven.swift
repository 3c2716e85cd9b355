public import Foundation

/// What staff record when they give the patient the contact sheet.
public struct ContactSheetGiven: Sendable, Equatable, Codable {
    /// When it was handed to the patient; defaults to now and may not be in the future.
    public var givenAt: Date?
    /// The ConsentTexts version printed; defaults to the version of the loan's current explanation.
    public var handoutVersion: Int?

    public init(givenAt: Date? = nil, handoutVersion: Int? = nil) {
        self.givenAt = givenAt
        self.handoutVersion = handoutVersion
    }

}
