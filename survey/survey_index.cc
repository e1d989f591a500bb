#include "survey/survey_index.h"

#include <atomic>

#include "survey/stored_response.h"

namespace candour::survey {

std::shared_ptr<SurveyIndexes::Entry> SurveyIndexes::Find(const std::string& survey_id) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(survey_id);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<SurveyIndexes::Entry> SurveyIndexes::FindOrCreate(const Survey& survey) {
  std::lock_guard lock(mu_);
  auto& entry = entries_[survey.id];
  if (!entry) entry = std::make_shared<Entry>(std::make_shared<const Survey>(survey));
  return entry;
}

void SurveyIndexes::Add(const Survey& survey, std::string_view period, std::string_view src,
                        const std::map<std::string, AnswerValue>& answers) {
  for (;;) {
    std::shared_ptr<Entry> entry = FindOrCreate(survey);
    std::unique_lock lock(entry->mu);
    if (entry->retired) continue;  // Reindex swapped in a new one meanwhile
    entry->index.Add(period, src, entry->coder.Codes(answers));
    if (entry->pending) entry->pending->push_back({std::string(period), std::string(src), answers});
    return;
  }
}

boost::system::error_code SurveyIndexes::Reindex(store::Store& store,
                                                 std::shared_ptr<const Survey> survey) {
  std::shared_ptr<Entry> old = FindOrCreate(*survey);
  {
    std::unique_lock lock(old->mu);
    const auto& before = old->coder.columns();
    const auto after = IndexColumns(*survey);
    const bool same =
        before.size() == after.size() &&
        std::equal(before.begin(), before.end(), after.begin(),
                   [](const stats::ColumnSpec& a, const stats::ColumnSpec& b) {
                     return a.id == b.id && a.kind == b.kind && a.cardinality == b.cardinality;
                   });
    if (same) {
      old->survey = std::move(survey);
      old->coder = IndexCoder(*old->survey);
      return {};
    }
    old->pending.emplace();  // from here on, Adds are also kept for the new index
  }
  auto fresh = std::make_shared<Entry>(survey);
  const StoredCodesDecoder decoder(*survey);
  std::mutex fresh_mu;
  auto scanned = store.ScanResponses(
      [&](std::string_view survey_id, std::string_view plaintext) {
        if (survey_id != survey->id) return;
        std::string period, src;
        std::vector<uint64_t> codes;
        // Undecodable responses are counted (and reported) by Rebuild at every start-up.
        if (decoder.Decode(plaintext, &period, &src, &codes)) return;
        std::lock_guard lock(fresh_mu);
        fresh->index.Add(period, src, codes);
      },
      2);
  std::unique_lock lock(old->mu);
  if (!scanned) {
    old->pending.reset();
    return scanned.error();
  }
  // Responses committed while the scan ran; one committed just before it began can be in
  // both (a window of microseconds around an organiser's edit, until the next start-up).
  for (const Entry::Pending& p : *old->pending) {
    fresh->index.Add(p.period, p.src, fresh->coder.Codes(p.answers));
  }
  old->pending.reset();
  {
    std::lock_guard entries_lock(mu_);
    entries_[survey->id] = fresh;
  }
  old->retired = true;
  return {};
}

boost::system::result<RebuildStats> SurveyIndexes::Rebuild(store::Store& store,
                                                           const SurveyCatalog& catalog) {
  struct Target {
    std::shared_ptr<const Survey> survey;  // outlives the decoder
    std::shared_ptr<Entry> entry;
    StoredCodesDecoder decoder;
  };
  std::map<std::string, Target, std::less<>> targets;
  for (const auto& s : catalog.List()) {
    targets.emplace(s->id, Target{s, FindOrCreate(*s), StoredCodesDecoder(*s)});
  }
  std::atomic<uint64_t> indexed{0}, undecodable{0}, orphaned{0};
  // Two threads: decryption and decoding are the cost, and the index lock is held only to
  // append.
  auto scanned = store.ScanResponses(
      [&](std::string_view survey_id, std::string_view plaintext) {
        auto it = targets.find(survey_id);
        if (it == targets.end()) {
          ++orphaned;
          return;
        }
        std::string period, src;
        std::vector<uint64_t> codes;
        if (it->second.decoder.Decode(plaintext, &period, &src, &codes)) {
          ++undecodable;
          return;
        }
        std::unique_lock lock(it->second.entry->mu);
        it->second.entry->index.Add(period, src, codes);
        ++indexed;
      },
      2);
  RebuildStats stats{indexed, undecodable, orphaned, 0};
  if (!scanned) return scanned.error();
  stats.forged = scanned->forged;
  return stats;
}

}  // namespace candour::survey
