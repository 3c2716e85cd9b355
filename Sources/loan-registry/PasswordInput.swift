import Foundation

/// Reads a password from the terminal without echo, or from standard input when it is not a
/// terminal (scripts, tests). Never from an argument or the environment, which other users of
/// the machine can see.
enum PasswordInput {
    /// One password; at a terminal, asked twice when `confirm` is set.
    static func read(_ prompt: String, confirm: Bool = false) throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            let first = try readHidden(prompt)
            if confirm {
                guard try readHidden("Again: ") == first else {
                    throw CommandFailure(message: "the two passwords differ; nothing was changed", exitCode: 65)
                }
            }
            return first
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw CommandFailure(message: "expected the password on standard input", exitCode: 64)
        }
        return line
    }

    /// Several values from standard input, one per line, or hidden prompts at a terminal.
    static func readHidden(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw CommandFailure(message: "no password was entered", exitCode: 64)
        }
        return line
    }
}
