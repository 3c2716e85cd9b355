public import LoanRegistry

/// How `body` was refused: the authentication failure it threw, or `nil` when it succeeded or
/// failed otherwise (so an `==` against the expected failure fails for either).
public func authenticationFailure(_ body: () async throws -> Void) async -> AuthenticationFailure? {
    do {
        try await body()
        return nil
    } catch RegistryError.authenticationFailed(let failure, _) {
        return failure
    } catch {
        return nil
    }
}
