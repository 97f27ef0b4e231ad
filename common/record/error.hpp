#pragma once
/**
 * Exceptions mean "cannot continue" (bad data is reported as Diagnostic instead). Each type tells
 * the caller what to do; programs map them to exit status 2, the server to 503 or 400.
 */
#include <stdexcept>
#include <string>

namespace scholarsearch {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The index does not exist, cannot be opened or was written by another analyzer/schema version.
struct IndexUnavailable : Error {
    using Error::Error;
};

/// Another process holds the database's write lock.
struct IndexLocked : Error {
    using Error::Error;
};

/// The query cannot be parsed or uses a bad parameter; the message is for the user.
struct QueryError : Error {
    using Error::Error;
};

/// A cursor walk began on an index generation that is no longer served (a commit or a swap came
/// in between): its offsets mean nothing in the new ranking, so the walk must start again.
struct CursorExpired : QueryError {
    using QueryError::QueryError;
};

}  // namespace scholarsearch
