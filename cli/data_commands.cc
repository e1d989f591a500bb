// `candour count`, `import`, `init` and `repair` (commands.h): reading, loading, creating and
// salvaging a stopped server's data folder.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "crypto/key_file.h"
#include "store/data_folder.h"
#include "store/errc.h"
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

// Prints the responses per survey, as `count` does; returns how many failed authentication,
// or nullopt (after saying why) if they cannot be read.
std::optional<uint64_t> PrintCounts(store::Store& store) {
  std::map<std::string, uint64_t> counts;
  if (auto surveys = store.ListSurveys()) {
    for (const auto& [id, def] : *surveys) counts[id] = 0;
  }
  auto scanned = store.ScanResponses(
      [&](std::string_view survey, std::string_view) { ++counts[std::string(survey)]; });
  if (!scanned) {
    Fail("cannot read responses: " + scanned.error().message());
    return std::nullopt;
  }
  for (const auto& [id, n] : counts) std::cout << id << " " << n << "\n";
  if (scanned->forged > 0) {
    std::cerr << "candour: " << scanned->forged
              << " stored responses failed authentication (tampered or foreign)\n";
  }
  return scanned->forged;
}

}  // namespace

int Count(const Options& o) {
  auto store = OpenStore(o, false);
  if (!store) return 1;
  const auto forged = PrintCounts(**store);
  if (!forged) return 1;
  return *forged > 0 ? 2 : 0;
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
  // The same file twice is almost always a mistake that would count every row twice.
  auto digest = store->Digest(content);
  if (!digest) return Fail("cannot compute the file's digest: " + digest.error().message());
  auto prior = survey::FindImport(*store, *digest);
  if (!prior) return Fail("cannot read the import records: " + prior.error().message());
  if (*prior && !o.force) {
    return Fail(file + " was imported before (" + std::to_string((*prior)->times) +
                ((*prior)->times == 1 ? " time" : " times") + ", " +
                std::to_string((*prior)->rows) + " rows in all, into \"" + (*prior)->survey +
                "\"); nothing was stored. To store its rows again on purpose, pass --force.");
  }
  // Validated first, written after: every row and the record of the import in one synced
  // batch, so that a kill part-way leaves all of them or none.
  std::cout << "Storing " << result.plaintexts.size() << " responses in one synced batch"
            << std::endl;
  if (auto ec = survey::StoreImport(*store, survey->id, result.plaintexts, *digest, *prior)) {
    return Fail("nothing was stored: the store failed: " + ec.message());
  }
  if (auto ec = store->Scrub()) std::cerr << "candour: scrub failed: " << ec.message() << "\n";
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

int Init(const Options& o) {
  if (store::InspectFolder(o.data) == store::FolderState::kDatabase) {
    return Fail("the data folder " + o.data.string() + " already holds a database");
  }
  auto store = OpenStore(o, true);
  if (!store) return 1;
  std::cout << "Created an empty database in " << o.data.string() << " under the key "
            << o.key_file.string() << " (" << HeldDataMarker(o).string()
            << " now records that the key holds data: keep it beside the key)" << std::endl;
  return 0;
}

int Repair(const Options& o) {
  // The key first: repairing a folder nobody can read would help no one.
  if (auto key = crypto::ReadKeyFile(o.key_file); !key) {
    return Fail("cannot use key file " + o.key_file.string() + ": " + key.error().message());
  }
  auto repaired = store::Store::Repair(StoreOptionsFor(o, false));
  if (!repaired) {
    if (repaired.error() == store::Errc::kMissing) {
      return Fail("there is no database in " + o.data.string() + " to repair");
    }
    return Fail("cannot repair " + o.data.string() + ": " + repaired.error().message() +
                ". Restore the folder from a backup.");
  }
  const store::Store::RepairReport& r = *repaired;
  if (!r.needed) {
    std::cout << "Nothing to repair: " << o.data.string() << " opens as it is." << std::endl;
  } else if (r.rebuilt) {
    std::cout << "Rebuilt " << o.data.string()
              << " from its files (RocksDB RepairDB): how many writes were lost cannot be "
                 "known. The responses now stored:"
              << std::endl;
  } else {
    std::cout << "Repaired the write-ahead log of " << o.data.string() << ": " << r.writes_read
              << " writes in it were read and kept; " << r.writes_lost
              << " writes in its damaged part were lost (each a response, a spent code or a "
                 "record of the service; which cannot be told)";
    if (r.lost_unknown) {
      std::cout << ", and the damage reached the end of the log, so writes after the last "
                   "readable one may be lost too: how many cannot be known";
    }
    std::cout << ". The responses now stored:" << std::endl;
  }
  auto store = OpenStore(o, false);
  if (!store) return 1;
  const auto forged = PrintCounts(**store);
  if (!forged) return 1;
  return *forged > 0 ? 2 : 0;
}

}  // namespace candour::cli
