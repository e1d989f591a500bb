#include "survey/codes.h"

#include "crypto/token.h"

namespace candour::survey {
namespace {

constexpr char kContext[] = "candour-code";

std::string KeyOf(const std::string& survey, const std::string& code) {
  return "code/" + survey + "/" + crypto::SecretHash(kContext, survey + "\n" + code);
}

}  // namespace

bool IsWellFormedCode(const std::string& code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

boost::system::result<std::vector<std::string>> Codes::Issue(const std::string& survey,
                                                             size_t count) {
  std::vector<std::string> codes;
  std::vector<std::pair<std::string, std::string>> records;
  for (size_t i = 0; i < count; ++i) {
    codes.push_back(crypto::NewCode());
    records.emplace_back(KeyOf(survey, codes.back()), "issued");
  }
  if (auto ec = store_.PutMetas(records)) return ec;
  return codes;
}

boost::system::result<Codes::State> Codes::Check(const std::string& survey,
                                                 const std::string& code) const {
  if (!IsWellFormedCode(code)) return State::kUnknown;
  auto record = store_.GetMeta(KeyOf(survey, code));
  if (!record) return record.error();
  if (!*record) return State::kUnknown;
  return **record == "spent" ? State::kSpent : State::kIssued;
}

boost::system::result<Codes::State> Codes::Spend(const std::string& survey,
                                                 const std::string& code) {
  std::lock_guard lock(spend_mu_);
  auto state = Check(survey, code);
  if (!state || *state != State::kIssued) return state;
  if (auto ec = store_.PutMeta(KeyOf(survey, code), "spent")) return ec;
  return State::kIssued;
}

boost::system::error_code Codes::Restore(const std::string& survey, const std::string& code) {
  std::lock_guard lock(spend_mu_);
  return store_.PutMeta(KeyOf(survey, code), "issued");
}

}  // namespace candour::survey
