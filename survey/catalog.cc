#include "survey/catalog.h"

#include <boost/json.hpp>
#include <cassert>

#include "survey/errc.h"
#include "survey/template.h"

namespace candour::survey {

boost::system::result<std::unique_ptr<SurveyCatalog>, std::string> SurveyCatalog::Load(
    store::Store& store) {
  using Result = boost::system::result<std::unique_ptr<SurveyCatalog>, std::string>;
  constexpr auto kError = boost::system::in_place_error;
  auto stored = store.ListSurveys();
  if (!stored) return Result(kError, "cannot read surveys: " + stored.error().message());
  auto catalog = std::make_unique<SurveyCatalog>();
  for (const auto& [id, definition] : *stored) {
    auto survey = ParseSurvey(definition);
    if (!survey)
      return Result(kError, "stored survey \"" + id + "\" is invalid: " + survey.error());
    catalog->surveys_.emplace(id, std::make_shared<const Survey>(std::move(*survey)));
  }
  return catalog;
}

std::shared_ptr<const Survey> SurveyCatalog::Get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = surveys_.find(id);
  return it == surveys_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const Survey>> SurveyCatalog::List() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const Survey>> out;
  for (const auto& [id, s] : surveys_) out.push_back(s);
  return out;
}

boost::system::error_code SurveyCatalog::Put(store::Store& store, Survey survey) {
  if (auto ec = store.PutSurvey(survey.id, survey.json)) return ec;
  std::lock_guard lock(mu_);
  const std::string id = survey.id;
  surveys_[id] = std::make_shared<const Survey>(std::move(survey));
  return {};
}

boost::system::result<bool> SurveyCatalog::EnsureDemo(store::Store& store) {
  {
    std::lock_guard lock(mu_);
    if (!surveys_.empty()) return false;
  }
  // The template is also the starting point for real surveys; only this copy is the demo.
  boost::json::value definition = boost::json::parse(TrustAndConfidenceTemplate());
  definition.as_object()["demo"] = true;
  auto demo = ParseSurvey(boost::json::serialize(definition));
  // The template is compiled in and covered by tests: failing to parse it is a build bug.
  assert(demo.has_value());
  constexpr auto kError = boost::system::in_place_error;
  if (!demo) return boost::system::result<bool>(kError, Errc::kBadTemplate);
  if (auto ec = Put(store, std::move(*demo))) return boost::system::result<bool>(kError, ec);
  return true;
}

}  // namespace candour::survey
