// SurveyCatalog: the surveys the server knows, parsed once and shared immutably.
// Thread-safe: lookups and inserts may run concurrently.
#pragma once

#include <boost/system/result.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"
#include "survey/survey.h"

namespace candour::survey {

class SurveyCatalog {
 public:
  // Loads every stored survey. Fails with the store's error, or with a message naming the
  // survey whose stored definition no longer parses.
  [[nodiscard]] static boost::system::result<std::unique_ptr<SurveyCatalog>, std::string> Load(
      store::Store& store);

  // The survey, or nullptr if there is none with this id.
  std::shared_ptr<const Survey> Get(const std::string& id) const;
  std::vector<std::shared_ptr<const Survey>> List() const;

  // Stores the definition durably, then serves it. Returns the store's error.
  [[nodiscard]] boost::system::error_code Put(store::Store& store, Survey survey);

  // Creates the demo survey from the built-in template when there is no survey at all.
  // Returns true if it was created, false if there were surveys already; the store's error
  // if it cannot be stored, and Errc::kBadTemplate (after an assert in debug builds) if the
  // compiled-in template does not parse.
  [[nodiscard]] boost::system::result<bool> EnsureDemo(store::Store& store);

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Survey>> surveys_;  // guarded by mu_
};

}  // namespace candour::survey
