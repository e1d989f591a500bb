// `candour count` and `candour import` (commands.h): reading and loading responses on a
// stopped server's data folder.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "survey/catalog.h"
#include "survey/import.h"

namespace candour::cli {
namespace {

// Prints the first 100 of an import's errors, each prefixed by the file's name.
void PrintErrors(const std::string& file, const std::vector<std::string>& errors) {
  for (size_t i = 0; i < errors.size() && i < 100; ++i) {
    std::cerr << file << ": " << errors[i] << "\n";
  }
  if (errors.size() > 100) {
    std::cerr << file << ": ... and " << errors.size() - 100 << " more errors\n";
  }
}

// Writes `plaintexts` in synced batches, each all or nothing; returns 0, or 1 after saying
// how many were stored before the store failed.
int StoreInBatches(store::Store& store, const std::string& survey,
                   const std::vector<std::string>& plaintexts) {
  constexpr size_t kBatch = 10'000;
  for (size_t i = 0; i < plaintexts.size(); i += kBatch) {
    const auto first = plaintexts.begin() + static_cast<std::ptrdiff_t>(i);
    const auto last =
        plaintexts.begin() + static_cast<std::ptrdiff_t>(std::min(i + kBatch, plaintexts.size()));
    if (auto ec = store.PutResponses(survey, std::vector<std::string>(first, last))) {
      return Fail("stored " + std::to_string(i) +
                  " responses, then the store failed: " + ec.message());
    }
  }
  if (auto ec = store.Scrub()) std::cerr << "candour: scrub failed: " << ec.message() << "\n";
  return 0;
}

}  // namespace

int Count(const Options& o) {
  auto store = OpenStore(o, false);
  if (!store) return 1;
  std::map<std::string, uint64_t> counts;
  if (auto surveys = (*store)->ListSurveys()) {
    for (const auto& [id, def] : *surveys) counts[id] = 0;
  }
  auto scanned = (*store)->ScanResponses(
      [&](std::string_view survey, std::string_view) { ++counts[std::string(survey)]; });
  if (!scanned) return Fail("cannot read responses: " + scanned.error().message());
  for (const auto& [id, n] : counts) std::cout << id << " " << n << "\n";
  if (scanned->forged > 0) {
    std::cerr << "candour: " << scanned->forged
              << " stored responses failed authentication (tampered or foreign)\n";
    return 2;
  }
  return 0;
}

int Import(const Options& o) {
  const std::string file = o.file.string();
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Fail("cannot read " + file);
  const std::string content((std::istreambuf_iterator<char>(in)), {});
  const bool csv = o.format.empty() ? file.ends_with(".csv") : o.format == "csv";
  auto opened = OpenSurvey(o);
  if (!opened) return 1;
  const std::unique_ptr<store::Store>& store = opened->store;
  const std::shared_ptr<const survey::Survey>& survey = opened->survey;
  const auto comments_key = CommentsKey(o);
  if (!comments_key) return 1;
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const auto result = survey::ParseImport(
      *survey, content, csv ? survey::ImportFormat::kCsv : survey::ImportFormat::kJsonLines, today,
      &*comments_key);
  PrintErrors(file, result.refused);
  PrintErrors(file, result.errors);
  if (!result.refused.empty()) {
    // Not skippable: published figures never change, and an import is all or nothing.
    return Fail(std::to_string(result.refused.size()) + " of " + std::to_string(result.rows) +
                " rows are for periods already published; nothing was imported (--skip-invalid " +
                "does not skip them: remove them from the file)");
  }
  if (!result.errors.empty() && !o.skip_invalid) {
    return Fail(std::to_string(result.errors.size()) + " of " + std::to_string(result.rows) +
                " rows are invalid; nothing was stored (fix them, or pass --skip-invalid)");
  }
  // Validated first, written after.
  if (int failed = StoreInBatches(*store, survey->id, result.plaintexts)) return failed;
  std::cout << "Imported " << result.plaintexts.size() << " responses into \"" << survey->id
            << "\"";
  if (!result.errors.empty()) std::cout << " (skipped " << result.errors.size() << " invalid rows)";
  std::cout << std::endl;
  if (result.not_stored > 0) {
    std::cout << "Not stored: " << result.not_stored
              << (result.not_stored == 1 ? " answer" : " answers")
              << " to questions that were not for those respondents (see their \"when\")"
              << std::endl;
  }
  return 0;
}

}  // namespace candour::cli
