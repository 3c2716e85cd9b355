/// The version of this loan-registry build, reported by `/health` and `--version`.
public enum RegistryVersion {
    /// Semantic version of the package.
    public static let current = "0.1.0"
}
