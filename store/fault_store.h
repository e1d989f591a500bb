// FaultStore: test support. A Store that forwards every call to a real one (a RocksDB in a
// temporary folder) and fails the calls a test chooses, with the error a real store returns,
// so that failure paths are driven for real rather than through a mock of the whole store.
// Built only with the tests (candour_store_testing), never into the candour binary.
// Thread-safe: faults may be injected and cleared while other threads use the store.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/errc.h"
#include "store/store.h"

namespace candour::store {

// The Store methods a fault can be injected into.
enum class Op {
  kPutSurvey,
  kGetSurvey,
  kListSurveys,
  kSubmitResponse,
  kPutResponses,
  kScanResponses,
  kPutMeta,
  kPutMetas,
  kGetMeta,
  kScrub,
  kCount
};

// One fault, built by chaining: Fault(Op::kGetMeta).Keys("published/").Times(2).
struct Fault {
  static constexpr int kAlways = -1;
  explicit Fault(Op o) : op(o) {}
  Fault& Keys(std::string prefix) {
    key_prefix = std::move(prefix);
    return *this;
  }
  Fault& Times(int n) {
    times = n;
    return *this;
  }
  Fault& After(int n) {
    after = n;
    return *this;
  }
  Fault& Error(boost::system::error_code ec) {
    error = ec;
    return *this;
  }
  Fault& ThroughDone() {
    through_done = true;
    return *this;
  }

  Op op;
  // Only calls whose key starts with this fail: the meta key (PutMeta, GetMeta; for PutMetas,
  // any record's key, and then the whole batch fails), the survey id (PutSurvey, GetSurvey,
  // SubmitResponse, PutResponses). Calls without a key (ListSurveys, ScanResponses, Scrub)
  // match only the empty prefix. Default: "" (every call of `op`).
  std::string key_prefix;
  // How many matching calls fail before the fault is used up. Default: kAlways (until Clear).
  int times = kAlways;
  // How many matching calls pass before the fault starts failing them (e.g. After(1): the
  // second write of a key fails, the first succeeds). Default: 0.
  int after = 0;
  // What the failed call returns. Default: kIo, as a full or failing disk gives.
  boost::system::error_code error = Errc::kIo;
  // SubmitResponse only: accept the response (return no error) and then report `error` through
  // `done`, as a failed sync does, instead of refusing it up front. `done` then runs on the
  // calling thread before SubmitResponse returns. Nothing is written. Default: false.
  bool through_done = false;
};

class FaultStore : public Store {
 public:
  // Takes ownership of `inner` (closed when this is destroyed). REQUIRES: inner != nullptr.
  explicit FaultStore(std::unique_ptr<Store> inner);

  // Adds a fault; the first fault that matches a call (in the order added) fails it.
  // REQUIRES: fault.op != Op::kCount, fault.times != 0.
  void Inject(Fault fault);
  // Removes every fault: from now on every call reaches the real store.
  void Clear();
  // How many calls of `op` have been failed so far.
  uint64_t failed(Op op) const;
  // The real store, for setting up and checking state behind the faults.
  Store& inner() { return *inner_; }

  boost::system::error_code PutSurvey(std::string_view id, std::string_view definition) override;
  boost::system::result<std::optional<std::string>> GetSurvey(std::string_view id) override;
  boost::system::result<std::vector<std::pair<std::string, std::string>>> ListSurveys() override;
  boost::system::error_code SubmitResponse(std::string survey_id, std::string plaintext,
                                           Done done) override;
  boost::system::error_code PutResponses(std::string_view survey_id,
                                         const std::vector<std::string>& plaintexts) override;
  // Fails as PutResponses does (Op::kPutResponses, keyed by the survey id).
  boost::system::error_code PutResponsesAndMetas(
      std::string_view survey_id, const std::vector<std::string>& plaintexts,
      const std::vector<std::pair<std::string, std::string>>& records) override;
  // Never fails by itself.
  boost::system::result<std::string> Digest(std::string_view bytes) override {
    return inner_->Digest(bytes);
  }
  boost::system::result<ScanStats> ScanResponses(const ResponseFn& fn, int threads = 1) override;
  boost::system::error_code PutMeta(std::string_view key, std::string_view value) override;
  boost::system::error_code PutMetas(
      const std::vector<std::pair<std::string, std::string>>& records) override;
  boost::system::result<std::optional<std::string>> GetMeta(std::string_view key) override;
  boost::system::error_code Scrub() override;
  CommitStats GetCommitStats() const override { return inner_->GetCommitStats(); }
  SpaceState Space() const override { return inner_->Space(); }

 private:
  // The fault a call of `op` on these keys meets (using up one of its times), or nullopt.
  std::optional<Fault> Take(Op op, const std::vector<std::string_view>& keys);

  // Constant after construction.
  const std::unique_ptr<Store> inner_;

  // State below is protected by mu_.
  mutable std::mutex mu_;
  std::vector<Fault> faults_;
  std::array<uint64_t, static_cast<size_t>(Op::kCount)> failed_{};
};

}  // namespace candour::store
