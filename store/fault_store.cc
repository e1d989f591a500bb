#include "store/fault_store.h"

#include <cassert>

namespace candour::store {

using boost::system::error_code;

FaultStore::FaultStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {
  assert(inner_ != nullptr);
}

void FaultStore::Inject(Fault fault) {
  assert(fault.op != Op::kCount && fault.times != 0);
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(fault));
}

void FaultStore::Clear() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

uint64_t FaultStore::failed(Op op) const {
  std::lock_guard lock(mu_);
  return failed_[static_cast<size_t>(op)];
}

std::optional<Fault> FaultStore::Take(Op op, const std::vector<std::string_view>& keys) {
  std::lock_guard lock(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->op != op) continue;
    bool hit = it->key_prefix.empty();
    for (std::string_view key : keys) hit = hit || key.starts_with(it->key_prefix);
    if (!hit) continue;
    if (it->after > 0) {
      --it->after;
      return std::nullopt;
    }
    Fault fault = *it;
    if (it->times != Fault::kAlways && --it->times == 0) faults_.erase(it);
    ++failed_[static_cast<size_t>(op)];
    return fault;
  }
  return std::nullopt;
}

error_code FaultStore::PutSurvey(std::string_view id, std::string_view definition) {
  if (auto fault = Take(Op::kPutSurvey, {id})) return fault->error;
  return inner_->PutSurvey(id, definition);
}

boost::system::result<std::optional<std::string>> FaultStore::GetSurvey(std::string_view id) {
  if (auto fault = Take(Op::kGetSurvey, {id})) return fault->error;
  return inner_->GetSurvey(id);
}

boost::system::result<std::vector<std::pair<std::string, std::string>>> FaultStore::ListSurveys() {
  if (auto fault = Take(Op::kListSurveys, {})) return fault->error;
  return inner_->ListSurveys();
}

error_code FaultStore::SubmitResponse(std::string survey_id, std::string plaintext, Done done) {
  if (auto fault = Take(Op::kSubmitResponse, {survey_id})) {
    if (!fault->through_done) return fault->error;
    done(fault->error);
    return {};
  }
  return inner_->SubmitResponse(std::move(survey_id), std::move(plaintext), std::move(done));
}

error_code FaultStore::PutResponses(std::string_view survey_id,
                                    const std::vector<std::string>& plaintexts) {
  if (auto fault = Take(Op::kPutResponses, {survey_id})) return fault->error;
  return inner_->PutResponses(survey_id, plaintexts);
}

error_code FaultStore::PutResponsesAndMetas(
    std::string_view survey_id, const std::vector<std::string>& plaintexts,
    const std::vector<std::pair<std::string, std::string>>& records) {
  if (auto fault = Take(Op::kPutResponses, {survey_id})) return fault->error;
  return inner_->PutResponsesAndMetas(survey_id, plaintexts, records);
}

boost::system::result<ScanStats> FaultStore::ScanResponses(const ResponseFn& fn, int threads) {
  if (auto fault = Take(Op::kScanResponses, {})) return fault->error;
  return inner_->ScanResponses(fn, threads);
}

error_code FaultStore::PutMeta(std::string_view key, std::string_view value) {
  if (auto fault = Take(Op::kPutMeta, {key})) return fault->error;
  return inner_->PutMeta(key, value);
}

error_code FaultStore::PutMetas(const std::vector<std::pair<std::string, std::string>>& records) {
  std::vector<std::string_view> keys;
  for (const auto& record : records) keys.push_back(record.first);
  if (auto fault = Take(Op::kPutMetas, keys)) return fault->error;
  return inner_->PutMetas(records);
}

boost::system::result<std::optional<std::string>> FaultStore::GetMeta(std::string_view key) {
  if (auto fault = Take(Op::kGetMeta, {key})) return fault->error;
  return inner_->GetMeta(key);
}

error_code FaultStore::Scrub() {
  if (auto fault = Take(Op::kScrub, {})) return fault->error;
  return inner_->Scrub();
}

}  // namespace candour::store
