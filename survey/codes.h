// Codes: single-use codes that let organisers make each response need one (a survey with
// "requires_code"). Only each code's hash is stored (meta record "code/SURVEY/HASH", value
// "issued" or "spent"); spending one marks it spent and records nothing about the response.
// Thread-safe: Spend and Restore are serialised, so one code is never spent twice.
#pragma once

#include <boost/system/result.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace candour::survey {

class Codes {
 public:
  enum class State { kUnknown, kIssued, kSpent };
  static constexpr size_t kMaxIssue = 1000;  // codes per request

  explicit Codes(store::Store& store) : store_(store) {}

  // Issues `count` (1..kMaxIssue) new codes, stored durably as hashes; returns them (the
  // only time they exist in clear). Store errors as the store's.
  [[nodiscard]] boost::system::result<std::vector<std::string>> Issue(const std::string& survey,
                                                                      size_t count);
  // The state of `code` for `survey` (kUnknown for anything that is not a code we issued).
  [[nodiscard]] boost::system::result<State> Check(const std::string& survey,
                                                   const std::string& code) const;
  // Marks an issued code spent, durably, and returns kIssued; returns kSpent or kUnknown
  // (changing nothing) otherwise.
  [[nodiscard]] boost::system::result<State> Spend(const std::string& survey,
                                                   const std::string& code);
  // Makes a code spent by Spend usable again (its response could not be stored).
  [[nodiscard]] boost::system::error_code Restore(const std::string& survey,
                                                  const std::string& code);

 private:
  store::Store& store_;
  std::mutex spend_mu_;  // serialises Spend and Restore
};

// Whether `code` looks like a code at all (1-32 of a-z, 0-9); checked before any lookup.
bool IsWellFormedCode(const std::string& code);

}  // namespace candour::survey
