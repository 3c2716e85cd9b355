import Crypto
package import Foundation

/// Which version of a record a caller read: a short hash of the record as the registry returns it.
///
/// The REST API sends it as the `ETag` and expects it back as `If-Match` on a change, so two
/// staff editing one record cannot overwrite each other silently (``EditPrecondition``).
public enum Revision {
    /// The revision of `record`.
    public static func of<T: Encodable>(_ record: T) throws -> String {
        of(encoded: try RecordJSONEncoder.encode(record))
    }

    /// The revision of a record already encoded as the registry answers it: JSON with sorted
    /// keys, unescaped slashes and ISO-8601 dates (the REST API's bodies), so an answer is
    /// encoded once for its body and its `ETag`.
    package static func of(encoded json: Data) -> String {
        SHA256.hash(data: json).prefix(12).hexString
    }
}

/// What a change requires of the record it changes.
public enum EditPrecondition: Sendable, Equatable {
    /// Change the record as it is now: the operator's command line, which reads and writes in one step.
    case none
    /// Change only a revision the caller read (HTTP `If-Match` may list several); none named is
    /// refused for a record that exists.
    case revisions(Set<String>)

    /// Throws unless `record`'s current revision is one of those required.
    func check<T: Encodable>(_ record: T, entity: String, id: String) throws {
        guard case .revisions(let expected) = self else { return }
        guard !expected.isEmpty else { throw RegistryError.revisionRequired(entity: entity) }
        guard expected.contains(try Revision.of(record)) else { throw RegistryError.editConflict(entity: entity, id: id) }
    }
}
