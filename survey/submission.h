// Submission: one resident's answers, validated against a survey definition. What is stored
// of it (survey/stored_response.h) is exactly: survey id and version, coarse period, source tag
// and the answers. Nothing about the request (address, headers, time) can reach it.
// Thread-safe: pure functions over immutable inputs.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/sealed_box.h"
#include "survey/survey.h"

namespace candour::survey {

// An option id (single) or text (text); option ids (multi); a number (scale).
using AnswerValue = std::variant<std::string, std::vector<std::string>, int64_t>;

struct Submission {
  std::map<std::string, AnswerValue> answers;  // by question id; unanswered questions absent
  std::string src;                             // source tag from the link, or empty
  std::string lang;                            // language the form was shown in (not stored)
  std::string code;                            // single-use code, if given (never stored)
  // Questions answered by someone they are not for (Question::when unmet): their answers are
  // not in `answers` (DropUnmetConditions). Ids in the survey's order; never stored.
  std::vector<std::string> not_stored;
};

// Why a body was refused: the field at fault ("Q60", "answers", "src", "body") and a message
// for the person or program that sent it, naming that field.
struct Rejection {
  std::string field;
  std::string message;
};

// Source tags name a poster or event: 1-48 of a-z, 0-9 and '-', starting with a letter or digit.
bool IsValidSourceTag(std::string_view tag);

// Parses {"answers": {QUESTION: OPTION | [OPTION, ...] | NUMBER | TEXT}, "src": TAG}.
// Answers to questions the respondent is not for are dropped (DropUnmetConditions).
[[nodiscard]] boost::system::result<Submission, Rejection> ParseJsonSubmission(
    const Survey& survey, std::string_view body);

// Parses the form's urlencoded POST: QUESTION=OPTION (repeated for multi), src, lang.
// Answers to questions the respondent is not for are dropped (DropUnmetConditions).
[[nodiscard]] boost::system::result<Submission, Rejection> ParseFormSubmission(
    const Survey& survey, std::string_view body);

// Whether `q` is for someone who gave `answers`: always when it has no condition, else when
// the condition's question is answered with one of its answers.
bool ConditionMet(const Question& q, const std::map<std::string, AnswerValue>& answers);

// Removes the answers to the questions `submission` is not for (ConditionMet false) and adds
// their ids to submission->not_stored, so that no one else's answer is stored or counted (a
// conditional measure's base is those the question is for). The parsers above apply it;
// whatever builds a Submission another way must too.
void DropUnmetConditions(const Survey& survey, Submission* submission);

// Why the answers to `question_ids` (conditional questions of `survey`) were not stored, for
// the JSON reply: "not stored: \"stop_respect\" is only for those who answered \"yes\" to
// \"stopped\"", one clause per question, separated by "; ".
std::string NotStoredNote(const Survey& survey, const std::vector<std::string>& question_ids);

// Replaces every free-text answer with "sealed:" and the base64 of crypto_box_seal to
// `comments_key` (the offline key), so the server cannot read what it stores. With no key,
// free-text answers are dropped: they are never stored readable.
void SealFreeText(const Survey& survey, const crypto::BoxPublicKey* comments_key,
                  Submission* submission);

// The inverse for the holder of the secret key: the text; Errc::kNotSealed if `stored` is not
// a sealed answer ("sealed:" and base64), crypto::Errc::kForged if it was not sealed to this
// key (or was altered).
[[nodiscard]] boost::system::result<std::string> OpenFreeText(std::string_view stored,
                                                              const crypto::BoxSecretKey& key);

}  // namespace candour::survey
