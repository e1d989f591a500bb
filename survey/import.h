// Paper-form imports: responses in CSV or JSON lines, each with its period, validated exactly as
// web submissions are, and encoded for storage (ParseImport); then stored all or none, once
// (StoreImport, with the record FindImport reads). Reading files is the import command's
// (cli/data_commands.cc).
// Thread-safe: ParseImport is pure; the store functions are as thread-safe as the Store.
#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sealed_box.h"
#include "store/store.h"
#include "survey/survey.h"

namespace candour::survey {

enum class ImportFormat { kCsv, kJsonLines };

struct ImportResult {
  // Valid rows, encoded for storage (EncodeStored); empty whenever `refused` is not.
  std::vector<std::string> plaintexts;
  std::vector<std::string> errors;  // "line N: FIELD: what is wrong", in file order
  // Rows for a period already published, in file order: "line N: period P: already published
  // (...)". If there is one, nothing of the file may be stored, even skipping invalid rows.
  std::vector<std::string> refused;
  size_t rows = 0;  // data rows read (blank lines and the CSV header aside)
  // Answers left out of valid rows because their question is not for that respondent
  // (Question::when), as for web submissions.
  size_t not_stored = 0;
};

// JSON lines: one object per line, {"period": P, "src": TAG, "answers": {...}}.
// CSV: a header row naming "period", optionally "src", then question ids; one response per
// row; a multiple-choice cell lists option ids separated by ';'; an empty cell is unanswered.
// `period` must be a well-formed period of the survey's kind ("2026-W40" or "2026-10").
// An answer to a question that is not for the row's respondent is left out (and counted).
//
// Published figures never change: a row whose period is in a month already published on
// `today` (it ended more than survey.grace_days ago: stats::PeriodFrozen) is refused, and then
// the whole file is (`refused`; no plaintexts), so that an import is all or nothing.
//
// Free-text answers are sealed to `comments_key` like web answers (dropped when it is null).
ImportResult ParseImport(const Survey& survey, std::string_view content, ImportFormat format,
                         std::chrono::sys_days today,
                         const crypto::BoxPublicKey* comments_key = nullptr);

// What is kept of an import: which survey it went into, how many rows, how many times. It is
// stored under a keyed digest of the file's bytes (Store::Digest); the file itself is not kept.
struct ImportRecord {
  std::string survey;
  uint64_t rows = 0;
  uint64_t times = 0;
};

// The record of an earlier import of a file whose digest is `digest`, or nullopt if there was
// none. kIo/kCorrupt on failure (a record that does not parse is kCorrupt).
[[nodiscard]] boost::system::result<std::optional<ImportRecord>> FindImport(
    store::Store& store, std::string_view digest);

// Stores every one of `plaintexts` for `survey_id` and the import's record (`prior`, if any,
// counted once more) in one synced batch: all of them or none, even if the process is killed
// part-way. The store's error on failure.
[[nodiscard]] boost::system::error_code StoreImport(store::Store& store, std::string_view survey_id,
                                                    const std::vector<std::string>& plaintexts,
                                                    std::string_view digest,
                                                    const std::optional<ImportRecord>& prior);

}  // namespace candour::survey
