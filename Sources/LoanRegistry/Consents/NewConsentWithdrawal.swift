import Foundation

/// What staff record when a patient withdraws consent.
public struct NewConsentWithdrawal: Sendable, Equatable, Codable {
    public var reason: String
    public var channel: ConsentWithdrawal.Channel
    public var actionsTaken: String

    public init(reason: String, channel: ConsentWithdrawal.Channel, actionsTaken: String) {
        self.reason = reason
        self.channel = channel
        self.actionsTaken = actionsTaken
    }


    func validate() throws {
        var validator = FieldValidator()
        validator.text(reason, "reason", maximum: 500)
        validator.text(actionsTaken, "actionsTaken", maximum: 2000)
        try validator.check()
    }
}
