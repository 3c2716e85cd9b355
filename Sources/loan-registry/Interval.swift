import Foundation
import ArgumentParser

/// A time span on the command line: a number and a unit, `30s`, `15m`, `1h` or `1d`.
struct Interval: ExpressibleByArgument, Sendable, Equatable {
    /// The span in seconds.
    let seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
        let scale: Int
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default: return nil
        }
        guard number <= 366 * 86_400 / scale else { return nil }
        seconds = number * scale
    }

    var defaultValueDescription: String {
        seconds % 86_400 == 0 ? "\(seconds / 86_400)d" : seconds % 3600 == 0 ? "\(seconds / 3600)h"
            : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }
}

/// `--group-commit on|off`.
enum Switch: String, ExpressibleByArgument, Sendable {
    case on, off
}
