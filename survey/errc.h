// Error codes of the survey module (the domain), registered as a boost::system error category.
// Errors that come from the store or from crypto stay theirs; these are the domain's own.
// Thread-safe: the category is immutable.
#pragma once

#include <boost/system/error_code.hpp>

namespace candour::survey {

enum class Errc {
  kMalformedResponse = 1,  // a stored response's plaintext is not in the stored-response format
  kNotSealed,              // a stored free-text answer is not a sealed answer (see SealFreeText)
  kAuditLogBroken,         // the audit log does not end at the head kept in the store
  kAuditLogIo,             // the audit log file could not be opened, written or synced
  kBadTemplate,            // the built-in survey template does not parse (a build bug)
  kPreparing,              // a survey's first release is being built; ask again in a few seconds
  kCancelled,              // a release build was cancelled (the results cache is stopping)
};

const boost::system::error_category& Category();

inline boost::system::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), Category()};
}

}  // namespace candour::survey

template <>
struct boost::system::is_error_code_enum<candour::survey::Errc> : std::true_type {};
